package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/anras/parc/bot"
	"github.com/anras/parc/domain"
)

// fleetCommands are the fleet feature's subcommands.
func fleetCommands() map[string]command {
	return map[string]command{
		"cars": {"list an establishment's pool cars and their next reservation: parc cars ESTABLISHMENT", runCars},
	}
}

// fleetOptions reads the pool cars' settings: PARC_FLEET_MAX_DAYS (the
// longest reservation, 5 days), PARC_FLEET_REMINDER_MINUTES (the reminder
// before a reservation starts, 30).
func fleetOptions(getenv func(string) string) (bot.FleetOptions, error) {
	var o bot.FleetOptions
	if v := strings.TrimSpace(getenv("PARC_FLEET_MAX_DAYS")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 60 {
			return o, fmt.Errorf("PARC_FLEET_MAX_DAYS=%q: a number of days from 1 to 60", v)
		}
		o.MaxBooking = time.Duration(n) * 24 * time.Hour
	}
	if v := strings.TrimSpace(getenv("PARC_FLEET_REMINDER_MINUTES")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 5 || n > 24*60 {
			return o, fmt.Errorf("PARC_FLEET_REMINDER_MINUTES=%q: a number of minutes from 5 to 1440", v)
		}
		o.StartReminder = time.Duration(n) * time.Minute
	}
	return o, nil
}

func runCars(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("cars", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: parc cars ESTABLISHMENT")
	}
	s, store, err := openFromEnv(ctx, env)
	if err != nil {
		return err
	}
	defer store.Close()
	fleet, err := store.Fleet(ctx, domain.NormalizeEstablishmentCode(fs.Arg(0)))
	if err != nil {
		return err
	}
	now := time.Now()
	w := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "PLATE\tCAR\tSTATUS\tODOMETER\tNEXT RESERVATION")
	for _, st := range fleet {
		next := "-"
		if sl, ok := st.Schedule.Next(now); ok {
			next = sl.Start.In(s.Location).Format("2006-01-02 15:04") + " " + sl.UserName
		} else if sl, ok := st.Schedule.Current(now); ok {
			next = "now, until " + sl.End.In(s.Location).Format("2006-01-02 15:04") + " " + sl.UserName
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%d km\t%s\n", st.Car.Plate, st.Car.Name(), st.Car.Status, st.Car.Odometer, next)
	}
	return w.Flush()
}

// demoDrivers book the demo's cars (the end-to-end suite's tenant).
var demoDrivers = []struct{ id, name string }{
	{"0c0c0c00-3333-4ccc-8ccc-000000000003", "Chloé Durand"},
	{"0d0d0d00-4444-4ddd-8ddd-000000000004", "David Moreau"},
	{"0e0e0e00-5555-4eee-8eee-000000000005", "Emma Lefèvre"},
	{"0f0f0f00-6666-4fff-8fff-000000000006", "Farid Benali"},
}

// seedFleetDemo adds six cars to DITEP-STF, one of them at the garage, and
// a week of reservations around now: those of the last days handed back,
// those of the coming days booked.
func seedFleetDemo(ctx context.Context, store domain.Store, now time.Time, loc *time.Location, log *slog.Logger) error {
	const est = "DITEP-STF"
	local := now.In(loc)
	day := func(d, h, m int) time.Time {
		return time.Date(local.Year(), local.Month(), local.Day()+d, h, m, 0, 0, loc).UTC()
	}
	docs := func(plate string) []domain.CarDocument {
		return []domain.CarDocument{
			{Kind: domain.CarDocRegistration, URL: "https://anras.sharepoint.com/sites/parc-auto/Documents/" + plate + "-carte-grise.pdf"},
			{Kind: domain.CarDocInsurance, URL: "https://anras.sharepoint.com/sites/parc-auto/Documents/" + plate + "-assurance.pdf"},
		}
	}
	cars := []domain.Car{
		{Plate: "FG-208-KL", Make: "Peugeot", Model: "208", Year: 2021, Odometer: 41250, Notes: "Badge de télépéage dans la boîte à gants."},
		{Plate: "GH-417-MN", Make: "Renault", Model: "Clio", Year: 2022, Odometer: 28740},
		{Plate: "EK-982-PR", Make: "Renault", Model: "Kangoo", Year: 2019, Odometer: 96310, Notes: "7 places. Siège enfant dans le coffre."},
		{Plate: "HB-553-ST", Make: "Citroën", Model: "C3", Year: 2023, Odometer: 12020},
		{Plate: "DZ-731-VW", Make: "Dacia", Model: "Sandero", Year: 2018, Odometer: 118400,
			Status: domain.CarInService, StatusNote: "Au garage Martin pour l'embrayage, retour prévu vendredi."},
		{Plate: "FN-164-XY", Make: "Renault", Model: "Zoé", Year: 2020, Odometer: 53900, Notes: "Électrique : la recharger au retour (borne du parking B)."},
	}
	for i := range cars {
		c := &cars[i]
		c.Establishment, c.CreatedAt, c.UpdatedAt, c.UpdatedBy = est, now.UTC(), now.UTC(), "demo"
		if c.Status == "" {
			c.Status = domain.CarAvailable
		}
		c.StatusSince = now.UTC()
		c.Documents = docs(c.Plate)
		c.Deadlines = domain.Deadlines{InsuranceExpiry: day(200+i*20, 0, 0), InspectionDue: day(300+i*40, 0, 0), NextServiceKm: (c.Odometer/15000 + 1) * 15000}
		if c.Plate == "EK-982-PR" {
			c.Deadlines.InspectionDue = day(21, 0, 0) // a deadline the report shows
		}
		if err := store.CreateCar(ctx, *c); err != nil {
			return fmt.Errorf("demo car %s: %w", c.Plate, err)
		}
	}
	type booking struct {
		plate          string
		driver         int
		d, h, m, hours int
		purpose        string
	}
	bookings := []booking{
		{"FG-208-KL", 0, -5, 9, 0, 3, "Visite à domicile"},
		{"GH-417-MN", 1, -4, 13, 30, 4, "Audience au tribunal pour enfants"},
		{"EK-982-PR", 2, -3, 8, 0, 9, "Sortie au parc animalier"},
		{"FG-208-KL", 3, -2, 14, 0, 2, "Rendez-vous CMP"},
		{"FN-164-XY", 0, -1, 10, 0, 2, "Réunion de synthèse au siège"},
		{"GH-417-MN", 2, 1, 9, 0, 3, "Visite à domicile"},
		{"HB-553-ST", 1, 1, 14, 0, 3, "Accompagnement stage"},
		{"EK-982-PR", 3, 2, 8, 30, 8, "Transfert vers l'internat"},
		{"FG-208-KL", 0, 3, 10, 0, 2, "Rendez-vous orthophoniste"},
		{"FN-164-XY", 1, 4, 13, 0, 4, "Formation à Pau"},
		{"GH-417-MN", 3, 5, 9, 30, 2, "Courses pour l'atelier cuisine"},
	}
	for _, bk := range bookings {
		start := day(bk.d, bk.h, bk.m)
		drv := demoDrivers[bk.driver]
		r := domain.Reservation{ID: domain.NewReservationID(), Plate: bk.plate, Establishment: est, UserID: drv.id, UserName: drv.name,
			Start: start, End: start.Add(time.Duration(bk.hours) * time.Hour), Purpose: bk.purpose, Status: domain.ReservationActive,
			CreatedAt: start.Add(-48 * time.Hour)}
		if _, err := store.Reserve(ctx, r, r.CreatedAt); err != nil {
			return fmt.Errorf("demo reservation of %s: %w", bk.plate, err)
		}
		if !r.End.Before(now) {
			continue
		}
		km := 20 + bk.hours*15
		if _, err := store.UpdateReservation(ctx, est, r.ID, func(c domain.ReservationChange) error {
			if err := c.Reservation.HandBack(c.Car, domain.Handback{By: drv.id, Odometer: c.Car.Odometer + km, Fuel: "half"}, r.End); err != nil {
				return err
			}
			if bk.plate == "FG-208-KL" && bk.d == -5 {
				_ = c.Reservation.AddExpense(domain.Expense{Kind: "fuel", AmountCents: 4870, At: r.End})
			}
			if i := c.Schedule.Find(r.ID); i >= 0 {
				c.Schedule.Slots[i].HandedBack = true
			}
			c.Schedule.Prune(now)
			return nil
		}); err != nil {
			return fmt.Errorf("demo hand-back of %s: %w", bk.plate, err)
		}
	}
	m := domain.MaintenanceRecord{ID: domain.NewMaintenanceID(), Plate: "DZ-731-VW", Establishment: est, Kind: "repair",
		Date: day(-2, 0, 0), Odometer: 118400, CostCents: 64500, Supplier: "Garage Martin", Note: "Embrayage", By: "demo", CreatedAt: now.UTC()}
	if err := store.AddMaintenance(ctx, m); err != nil {
		return err
	}
	log.Info("fleet demo added", "establishment", est, "cars", len(cars), "reservations", len(bookings))
	return nil
}
