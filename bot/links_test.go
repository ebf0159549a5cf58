package bot_test

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anras/parc/bot"
)

func TestSignedLinks(t *testing.T) {
	l := bot.NewLinks("https://parc.example.org/", []byte("0123456789abcdef0123456789abcdef"))
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	link := l.Sign("/files/loan.pdf", url.Values{"loan": {"L-42"}}, now.Add(time.Hour))
	if !strings.HasPrefix(link, "https://parc.example.org/files/loan.pdf?") {
		t.Fatalf("link %s", link)
	}
	check := func(u string, at time.Time) error {
		_, err := l.Verify(httptest.NewRequest("GET", u, nil), at)
		return err
	}
	if err := check(link, now); err != nil {
		t.Fatalf("fresh link refused: %v", err)
	}
	if err := check(link, now.Add(2*time.Hour)); err == nil {
		t.Fatal("expired link accepted")
	}
	for _, tamper := range []string{
		strings.Replace(link, "L-42", "L-43", 1),
		strings.Replace(link, "loan.pdf", "other.pdf", 1),
		strings.Replace(link, "exp=", "exp=9", 1),
		link + "&extra=1",
		strings.Split(link, "&sig=")[0],
	} {
		if err := check(tamper, now); err == nil {
			t.Errorf("tampered link accepted: %s", tamper)
		}
	}
	other := bot.NewLinks("https://parc.example.org", []byte("another key of thirty-two bytes!"))
	if _, err := other.Verify(httptest.NewRequest("GET", link, nil), now); err == nil {
		t.Fatal("a link signed with another key was accepted")
	}
	feed := l.Sign("/calendars/AB-123-CD.ics", url.Values{"t": {"secret"}}, time.Time{})
	if err := check(feed, now.AddDate(5, 0, 0)); err != nil {
		t.Fatalf("a link without expiry expired: %v", err)
	}
}
