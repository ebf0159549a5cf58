package graph

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/graph/graphtest"
	"github.com/microsoftgraph/msgraph-sdk-go/groups"
)

// The benchmark of the licence summary's directory reads, against the
// local Graph server with 50 ms added to every answer: 20 establishments
// of 500 members (10,000 accounts with 1 to 4 licences each).
//
//	go test ./storage/graph -run '^$' -bench LicenceCollection -benchtime 1x
//
// "by-group" is Parc's way (subscribedSkus, then each group's members with
// their licences, 999 a page); "baseline-per-user" is the old Power
// Automate flow's (each group's members, then one licenseDetails call per
// user), with the same concurrency. The server runs in a child process so
// that the peak RSS reported is the client's alone.
const (
	benchEstablishments = 20
	benchMembers        = 500
	benchLatency        = 50 * time.Millisecond
	benchConcurrency    = domain.DefaultCollectConcurrency
	serveEnv            = "PARC_GRAPHTEST_SERVE"
)

func TestMain(m *testing.M) {
	if os.Getenv(serveEnv) != "" {
		serveBenchTenant()
		return
	}
	os.Exit(m.Run())
}

// serveBenchTenant is the child process: it serves the tenant, prints its
// URL, and stops when its standard input closes (the parent is gone).
func serveBenchTenant() {
	srv := graphtest.NewServer(graphtest.Tenant(benchEstablishments, benchMembers))
	srv.Latency = benchLatency
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	srv.SetRoot("http://" + ln.Addr().String())
	go func() { _ = http.Serve(ln, srv) }()
	fmt.Println(srv.URL)
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
}

// startChildServer runs the server in a child process.
func startChildServer(b *testing.B) string {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), serveEnv+"=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stdin.Close(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		b.Fatalf("graph server: %v", err)
	}
	return strings.TrimSpace(line)
}

func benchEstablishmentList() []domain.Establishment {
	var ests []domain.Establishment
	for i := range benchEstablishments {
		ests = append(ests, domain.Establishment{Code: fmt.Sprintf("E%02d", i), Name: fmt.Sprintf("Établissement %d", i), StaffGroupIDs: []string{graphtest.GroupID(i)}})
	}
	return ests
}

func BenchmarkLicenceCollection(b *testing.B) {
	url := startChildServer(b)
	ests := benchEstablishmentList()
	newClient := func(b *testing.B) *Client {
		c, err := New(Config{Endpoint: url, Credential: graphtest.StaticToken{}})
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	// Parc's way first: the peak RSS is monotonic over the process.
	b.Run("by-group", func(b *testing.B) {
		c := newClient(b)
		runCollection(b, c, func(ctx context.Context) (int, error) {
			got := domain.CollectLicences(ctx, c, ests, benchConcurrency)
			n := 0
			for _, e := range got.Establishments {
				if e.Err != nil {
					return 0, e.Err
				}
				n += e.Processed
			}
			return n, got.SkusErr
		})
	})
	b.Run("baseline-per-user", func(b *testing.B) {
		c := newClient(b)
		runCollection(b, c, func(ctx context.Context) (int, error) { return baselineCollect(ctx, c, ests, benchConcurrency) })
	})
}

// runCollection runs collect b.N times and reports its figures: accounts,
// Graph requests per run, wall time percentiles, peak RSS.
func runCollection(b *testing.B, c *Client, collect func(context.Context) (int, error)) {
	var walls []time.Duration
	before, _ := c.Requests()
	accounts := 0
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		n, err := collect(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		walls = append(walls, time.Since(start))
		accounts = n
	}
	b.StopTimer()
	if accounts != benchEstablishments*benchMembers {
		b.Fatalf("collected %d accounts, want %d", accounts, benchEstablishments*benchMembers)
	}
	sent, _ := c.Requests()
	slices.Sort(walls)
	pct := func(p float64) time.Duration { return walls[min(len(walls)-1, int(p*float64(len(walls))))] }
	b.ReportMetric(float64(accounts), "accounts")
	b.ReportMetric(float64(sent-before)/float64(b.N), "requests/run")
	b.ReportMetric(pct(0.50).Seconds(), "p50-s")
	b.ReportMetric(pct(0.99).Seconds(), "p99-s")
	b.ReportMetric(peakRSSMB(), "peak-RSS-MB")
}

// peakRSSMB is the process's peak resident set (Linux reports KiB).
func peakRSSMB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024
}

// baselineCollect is the old flow's way: each group's members without
// their licences, then one licenseDetails request per user; at most
// concurrency requests in flight, as Parc's way.
func baselineCollect(ctx context.Context, c *Client, ests []domain.Establishment, concurrency int) (int, error) {
	sem := make(chan struct{}, concurrency)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		accounts atomic.Int64
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	if _, err := c.SubscribedSkus(ctx); err != nil {
		return 0, err
	}
	for _, e := range ests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			ids, err := baselineMembers(ctx, c, e.StaffGroupIDs[0])
			<-sem
			if err != nil {
				fail(err)
				return
			}
			for _, id := range ids {
				wg.Add(1)
				go func() {
					defer wg.Done()
					sem <- struct{}{}
					defer func() { <-sem }()
					resp, err := c.sdk.Users().ByUserId(id).LicenseDetails().Get(ctx, nil)
					if err != nil {
						fail(err)
						return
					}
					_ = resp.GetValue()
					accounts.Add(1)
				}()
			}
		}()
	}
	wg.Wait()
	return int(accounts.Load()), firstErr
}

// baselineMembers lists a group's members without their licences.
func baselineMembers(ctx context.Context, c *Client, group string) ([]string, error) {
	b := c.sdk.Groups().ByGroupId(group).TransitiveMembers().GraphUser()
	top := c.pageSize
	resp, err := b.Get(ctx, &groups.ItemTransitiveMembersGraphUserRequestBuilderGetRequestConfiguration{
		QueryParameters: &groups.ItemTransitiveMembersGraphUserRequestBuilderGetQueryParameters{Select: []string{"id", "givenName", "surname", "mail", "jobTitle"}, Top: &top},
	})
	var ids []string
	for {
		if err != nil {
			return nil, err
		}
		for _, u := range resp.GetValue() {
			ids = append(ids, str(u.GetId()))
		}
		next := resp.GetOdataNextLink()
		if next == nil {
			return ids, nil
		}
		resp, err = b.WithUrl(*next).Get(ctx, nil)
	}
}

// TestRequestCounts: Parc asks Graph 1 + one page per 999 members of each
// group; the baseline asks once more per user.
func TestRequestCounts(t *testing.T) {
	srv := graphtest.Start(t, graphtest.Tenant(3, 40))
	c, err := New(Config{Endpoint: srv.URL, Credential: graphtest.StaticToken{}})
	if err != nil {
		t.Fatal(err)
	}
	var ests []domain.Establishment
	for i := range 3 {
		ests = append(ests, domain.Establishment{Code: fmt.Sprintf("E%d", i), StaffGroupIDs: []string{graphtest.GroupID(i)}})
	}
	got := domain.CollectLicences(context.Background(), c, ests, 2)
	for _, e := range got.Establishments {
		if e.Err != nil || e.Processed != 40 {
			t.Fatalf("%s: %d accounts, %v", e.Establishment.Code, e.Processed, e.Err)
		}
	}
	if sent, _ := c.Requests(); sent != 4 {
		t.Fatalf("Parc's way sent %d requests for 3 groups, want 4", sent)
	}
	n, err := baselineCollect(context.Background(), c, ests, 2)
	if sent, _ := c.Requests(); err != nil || n != 120 || sent-4 != 1+3+120 {
		t.Fatalf("baseline: %d accounts in %d requests (%v), want 120 in 124", n, sent-4, err)
	}
}
