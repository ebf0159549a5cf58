package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/anras/parc/domain"
	"github.com/anras/parc/storage/bolt"
)

func TestFleetOptions(t *testing.T) {
	for _, tc := range []struct {
		env     map[string]string
		err     string
		max     time.Duration
		reminds time.Duration
	}{
		{env: map[string]string{}},
		{env: map[string]string{"PARC_FLEET_MAX_DAYS": "3", "PARC_FLEET_REMINDER_MINUTES": "45"}, max: 72 * time.Hour, reminds: 45 * time.Minute},
		{env: map[string]string{"PARC_FLEET_MAX_DAYS": "0"}, err: "PARC_FLEET_MAX_DAYS"},
		{env: map[string]string{"PARC_FLEET_MAX_DAYS": "cinq"}, err: "PARC_FLEET_MAX_DAYS"},
		{env: map[string]string{"PARC_FLEET_REMINDER_MINUTES": "2"}, err: "PARC_FLEET_REMINDER_MINUTES"},
	} {
		o, err := fleetOptions(func(k string) string { return tc.env[k] })
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("fleetOptions(%v) = %v, want an error naming %s", tc.env, err, tc.err)
			}
			continue
		}
		if err != nil || o.MaxBooking != tc.max || o.StartReminder != tc.reminds {
			t.Errorf("fleetOptions(%v) = %+v, %v", tc.env, o, err)
		}
	}
}

// The demo gives a newcomer the real thing: six cars of DITEP-STF, one at
// the garage, a week of reservations around now, the past ones handed back.
func TestDemoSeedsTheFleet(t *testing.T) {
	dir := t.TempDir()
	st, err := bolt.Open(dir, bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2026, 10, 22, 9, 17, 0, 0, time.UTC) // the week of the change to winter time
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()
	if err := seedDemo(ctx, st, now, loc, log); err != nil {
		t.Fatal(err)
	}
	fleet, err := st.Fleet(ctx, "DITEP-STF")
	if err != nil {
		t.Fatal(err)
	}
	inService, coming := 0, 0
	for _, c := range fleet {
		if c.Car.Status == domain.CarInService {
			inService++
		}
		for _, s := range c.Schedule.Slots {
			if s.Start.After(now) {
				coming++
			}
		}
	}
	if len(fleet) != 6 || inService != 1 || coming < 5 {
		t.Fatalf("demo fleet: %d cars, %d in service, %d coming reservations", len(fleet), inService, coming)
	}
	res, _ := st.ReservationsBetween(ctx, "DITEP-STF", now.AddDate(0, 0, -7), now.AddDate(0, 0, 7))
	past := 0
	for _, r := range res {
		if r.End.Before(now) {
			past++
			if r.Handback == nil {
				t.Errorf("past demo reservation %s not handed back", r.ID)
			}
		}
	}
	if len(res) < 10 || past < 4 {
		t.Fatalf("demo reservations: %d, %d past", len(res), past)
	}
	st.Close()

	// parc cars lists them.
	var out bytes.Buffer
	env := &environment{getenv: func(k string) string {
		if k == "PARC_DATA_DIR" {
			return dir
		}
		return ""
	}, stdout: &out, stderr: io.Discard}
	if err := run(ctx, env, []string{"cars", "ditep-stf"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"PLATE", "FG-208-KL", "Peugeot 208", "in_service", "118400 km"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("parc cars output lacks %q:\n%s", want, out.String())
		}
	}
}
