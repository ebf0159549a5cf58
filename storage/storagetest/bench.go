package storagetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/anras/parc/domain"
)

// NewBenchStore returns a new, empty store for a benchmark; the suite
// closes it.
type NewBenchStore func(b *testing.B) domain.Store

// benchUsers is how many users (each with two roles) the queries run over:
// a few establishments' worth.
const benchUsers = 200

// Bench measures the operations a turn of the bot performs, on stores made
// by newStore: a point read (User), a point write (SaveConversation), the
// read-modify-write of every turn (UpdateUser), the role lookup
// (UserRoles), the roles card's list (ListUsers over benchUsers users) and
// the duplicate check (FirstDelivery). Each reports ops/s and the p50 and
// p99 latency in microseconds, measured one operation at a time.
func Bench(b *testing.B, newStore NewBenchStore) {
	ctx := context.Background()
	s := newStore(b)
	b.Cleanup(func() { s.Close() })
	for i := range benchUsers {
		id := fmt.Sprintf("bench-user-%03d", i)
		if _, err := s.UpdateUser(ctx, id, func(u *domain.User) error {
			u.Name, u.Language, u.LastSeen = fmt.Sprintf("Name %03d", benchUsers-i), "fr", t0
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		for _, r := range []domain.Role{domain.RoleTechnician, domain.RoleFleetManager} {
			if err := s.GrantRole(ctx, domain.RoleAssignment{UserID: id, Role: r, GrantedAt: t0}); err != nil {
				b.Fatal(err)
			}
		}
	}
	delivery := 0
	ops := []struct {
		name string
		op   func(i int) error
	}{
		{"PointRead/User", func(i int) error {
			_, err := s.User(ctx, fmt.Sprintf("bench-user-%03d", i%benchUsers))
			return err
		}},
		{"PointWrite/SaveConversation", func(i int) error {
			return s.SaveConversation(ctx, domain.ConversationRef{ID: fmt.Sprintf("conv-%d", i%1000), ServiceURL: "https://smba.trafficmanager.net/fr/", BotID: "28:bot", ChannelID: "msteams", UpdatedAt: t0})
		}},
		{"ReadModifyWrite/UpdateUser", func(i int) error {
			_, err := s.UpdateUser(ctx, fmt.Sprintf("bench-user-%03d", i%benchUsers), func(u *domain.User) error {
				u.LastSeen = t0.Add(time.Duration(i) * time.Second)
				return nil
			})
			return err
		}},
		{"Query/UserRoles", func(i int) error {
			roles, err := s.UserRoles(ctx, fmt.Sprintf("bench-user-%03d", i%benchUsers))
			if err == nil && len(roles) != 2 {
				err = fmt.Errorf("UserRoles = %v", roles)
			}
			return err
		}},
		{"Query/ListUsers", func(int) error {
			users, err := s.ListUsers(ctx)
			if err == nil && len(users) != benchUsers {
				err = fmt.Errorf("ListUsers = %d users", len(users))
			}
			return err
		}},
		{"FirstDelivery", func(int) error {
			delivery++ // a new id each call, across the benchmark's rounds
			first, err := s.FirstDelivery(ctx, fmt.Sprintf("activity-%d", delivery), t0, 10*time.Minute)
			if err == nil && !first {
				err = fmt.Errorf("a new activity id was reported as a redelivery")
			}
			return err
		}},
	}
	for _, o := range ops {
		b.Run(o.name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			start := time.Now()
			for i := range b.N {
				t := time.Now()
				if err := o.op(i); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t))
			}
			total := time.Since(start)
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(b.N)/total.Seconds(), "ops/s")
			b.ReportMetric(micros(percentile(lat, 50)), "p50-µs")
			b.ReportMetric(micros(percentile(lat, 99)), "p99-µs")
		})
	}
}

func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[(len(sorted)-1)*p/100]
}

func micros(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }
