package bot

import (
	"bytes"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
	"github.com/gin-gonic/gin"
)

// calendarRoute serves a car's bookings as an iCalendar feed (RFC 5545)
// that Outlook subscribes to: /fleet/calendar/<establishment>/<plate>.ics
// ?token=<the car's secret>. The token, not a signature, guards it: a
// fleet manager regenerates it to revoke the old URL.
const calendarRoute = "/fleet/calendar/:est/:file"

func (b *Bot) calendarURL(car domain.Car) string {
	return strings.TrimRight(b.cfg.PublicURL, "/") + "/fleet/calendar/" + url.PathEscape(car.Establishment) + "/" +
		url.PathEscape(car.Plate) + ".ics?token=" + url.QueryEscape(car.CalendarToken)
}

// fleetCalendar shows the feed's URL, making the car's token on first use
// or anew when a fleet manager asks (which revokes the old URL).
func (b *Bot) fleetCalendar(t *Turn, plate string, regenerate bool) (cards.Card, error) {
	return b.withEstablishment(t, func(est domain.Establishment) (cards.Card, error) {
		car, err := b.store.Car(t.Ctx, est.Code, plate)
		if err != nil {
			return cards.Card{}, err
		}
		if car.CalendarToken == "" || regenerate {
			car, err = b.store.UpdateCar(t.Ctx, est.Code, car.Plate, func(c *domain.Car) error {
				if c.CalendarToken == "" || regenerate {
					c.CalendarToken = domain.NewCalendarToken()
				}
				return nil
			})
			if err != nil {
				return cards.Card{}, err
			}
		}
		notice := ""
		if regenerate {
			notice = t.T("fleet.calendar.regenerated")
			t.Log.Info("calendar token regenerated", "plate", car.Plate)
		}
		return cards.FleetCalendarCard(t.Lang, car, b.calendarURL(car), t.Principal.Has(domain.RoleFleetManager), notice), nil
	})
}

// serveCalendar answers Outlook's polls. An unknown car or a wrong token
// is a 404, so that the URL tells nothing about which cars exist.
func (b *Bot) serveCalendar(c *gin.Context) {
	est := c.Param("est")
	plate, ok := strings.CutSuffix(c.Param("file"), ".ics")
	token := c.Query("token")
	if !ok || token == "" {
		c.String(http.StatusNotFound, "not found\n")
		return
	}
	ctx := c.Request.Context()
	car, err := b.store.Car(ctx, est, plate)
	if err != nil || car.CalendarToken == "" || subtle.ConstantTimeCompare([]byte(token), []byte(car.CalendarToken)) != 1 {
		if err != nil && !domain.IsNotFound(err) {
			b.log.Error("calendar feed", "err", err)
			c.String(http.StatusServiceUnavailable, "unavailable\n")
			return
		}
		c.String(http.StatusNotFound, "not found\n")
		return
	}
	now := b.clock.Now()
	res, err := b.store.ReservationsBetween(ctx, est, now.AddDate(0, 0, -60), now.AddDate(1, 0, 0))
	if err != nil {
		b.log.Error("calendar feed", "err", err)
		c.String(http.StatusServiceUnavailable, "unavailable\n")
		return
	}
	l := b.language("", "")
	var events []icalEvent
	for _, r := range res {
		if r.Plate != car.Plate || r.Status != domain.ReservationActive {
			continue
		}
		summary := r.UserName
		if summary == "" {
			summary = l.T("fleet.planning.someone")
		}
		if r.Purpose != "" {
			summary = l.T("fleet.calendar.event", summary, r.Purpose)
		}
		events = append(events, icalEvent{UID: r.ID + "@parc." + strings.ToLower(r.Establishment), Summary: summary,
			Description: l.T("fleet.fact.reference") + " " + r.ID + "\n" + car.Name() + " " + car.Plate,
			Start:       r.Start, End: r.End, Stamp: r.CreatedAt})
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", buildICal(l.T("fleet.calendar.name", car.Name()+" "+car.Plate), events))
}

// icalEvent is one VEVENT.
type icalEvent struct {
	UID, Summary, Description string
	Start, End, Stamp         time.Time
}

// buildICal writes an RFC 5545 calendar: CRLF line ends, content lines
// folded at 75 octets (never inside a UTF-8 sequence), text escaped, times
// in UTC so that no VTIMEZONE is needed, a UID per reservation that never
// changes so that a client updates an event instead of duplicating it.
func buildICal(name string, events []icalEvent) []byte {
	var buf bytes.Buffer
	line := func(s string) { writeFolded(&buf, s) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//ANRAS//Parc//FR")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + icalText(name))
	line("X-WR-TIMEZONE:Europe/Paris")
	line("REFRESH-INTERVAL;VALUE=DURATION:PT1H")
	line("X-PUBLISHED-TTL:PT1H")
	for _, e := range events {
		line("BEGIN:VEVENT")
		line("UID:" + icalText(e.UID))
		line("DTSTAMP:" + icalTime(e.Stamp))
		line("DTSTART:" + icalTime(e.Start))
		line("DTEND:" + icalTime(e.End))
		line("SUMMARY:" + icalText(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION:" + icalText(e.Description))
		}
		line("STATUS:CONFIRMED")
		line("TRANSP:OPAQUE")
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return buf.Bytes()
}

func icalTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// icalText escapes a TEXT value (RFC 5545 3.3.11).
func icalText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// writeFolded writes one content line, folded so that no line exceeds 75
// octets (the CRLF excluded); continuation lines start with a space.
func writeFolded(buf *bytes.Buffer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		buf.WriteString(s[:cut])
		buf.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	buf.WriteString(s)
	buf.WriteString("\r\n")
}
