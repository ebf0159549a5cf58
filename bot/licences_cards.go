package bot

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/anras/parc/bot/connector"
	"github.com/anras/parc/cards"
	"github.com/anras/parc/domain"
)

// The handlers of the summary's buttons, read by the correspondents in
// their channel.

// licenceLinks signs the download links of a summary, valid for ttl.
func (b *Bot) licenceLinks(s domain.LicenceSummary, l cards.Lang, ttl time.Duration) cards.LicenceLinks {
	exp := b.clock.Now().Add(ttl)
	link := func(format string) string {
		return b.links.Sign(licenceExportPath, url.Values{"run": {s.RunID}, "code": {s.Code}, "format": {format}, "lang": {string(l)}}, exp)
	}
	return cards.LicenceLinks{XLSX: link("xlsx"), CSV: link("csv")}
}

// detailLinkTTL is how long the links of a card refreshed by a click work.
const detailLinkTTL = 7 * 24 * time.Hour

// storedSummary reads the summary of a run's establishment, checking that
// the turn may see it: in the establishment's own channel, or an admin.
func (b *Bot) storedSummary(t *Turn, in Input) (domain.LicenceSummary, string, error) {
	runID, code := in.Str("run"), domain.NormalizeEstablishmentCode(in.Str("establishment"))
	e, err := b.store.Establishment(t.Ctx, code)
	if err != nil && !domain.IsNotFound(err) {
		return domain.LicenceSummary{}, "", domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	here := conversationRef(t.Activity, t.Now).ID
	if !t.Principal.Has(domain.RoleAdmin) && (err != nil || e.ChannelID == "" || here != e.ChannelID) {
		return domain.LicenceSummary{}, "", domain.Errorf(domain.EFORBIDDEN, "err.licence.detail_forbidden")
	}
	report, err := b.store.LicenceReport(t.Ctx, runID, code)
	if err != nil {
		return domain.LicenceSummary{}, "", err
	}
	var prev *domain.LicenceReport
	if p, err := b.store.PreviousLicenceReport(t.Ctx, code, runID); err == nil {
		prev = &p
	}
	products, err := b.store.LicenceProducts(t.Ctx)
	if err != nil {
		return domain.LicenceSummary{}, "", domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	month := domain.LicenceMonth(report.GeneratedAt, b.cfg.Location)
	if r, err := b.store.LicenceRun(t.Ctx, runID); err == nil {
		month = r.Month
	}
	return domain.SummarizeLicences(report, domain.NewLicenceCatalogue(products, nil), prev), month, nil
}

func (b *Bot) licenceDetail(t *Turn, in Input) (cards.Card, error) {
	s, month, err := b.storedSummary(t, in)
	if err != nil {
		return cards.Card{}, err
	}
	page := inputInt(in, "page")
	if page < 0 {
		return cards.Card{}, domain.Errorf(domain.EINVALID, "err.licence.page")
	}
	return cards.LicenceDetailCard(t.Lang, s, month, page, b.licenceLinks(s, t.Lang, detailLinkTTL)), nil
}

func (b *Bot) licenceSummaryAgain(t *Turn, in Input) (cards.Card, error) {
	s, month, err := b.storedSummary(t, in)
	if err != nil {
		return cards.Card{}, err
	}
	return cards.LicenceSummaryCard(t.Lang, s, month, b.cfg.Location, b.licenceLinks(s, t.Lang, detailLinkTTL)), nil
}

// The admins' cards.

func (b *Bot) licenceRunsCard(t *Turn, notice string) (cards.Card, error) {
	runs, err := b.store.ListLicenceRuns(t.Ctx, 10)
	if err != nil {
		return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	st, err := b.store.LicenceSettings(t.Ctx)
	if err != nil {
		return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	v := cards.LicenceRunsView{Day: b.lic.cfg.Day, Hour: b.lic.cfg.Hour, Next: b.nextLicenceRun(t.Ctx, t.Now), Runs: runs, Notice: notice}
	if _, kind, err := b.licenceDirectory(t.Ctx, nil); err == nil {
		v.Directory = kind
	}
	if st.ITChannelID != "" {
		v.ITChannel = st.ITChannelID
		if ref, err := b.store.Conversation(t.Ctx, st.ITChannelID); err == nil && ref.TeamName != "" {
			v.ITChannel = ref.TeamName
		}
	}
	return cards.LicenceRunsCard(t.Lang, v, b.cfg.Location), nil
}

func (b *Bot) licenceRunShow(t *Turn, in Input) (cards.Card, error) {
	r, err := b.store.LicenceRun(t.Ctx, in.Str("run"))
	if err != nil {
		return cards.Card{}, err
	}
	return cards.LicenceReportCard(t.Lang, r, b.cfg.Location, false), nil
}

// licenceRunStart starts a run that posts: checked and stored now, carried
// out in the background (a run with its pacing outlasts an invoke's
// answer); the card says so and offers to refresh.
func (b *Bot) licenceRunStart(t *Turn, in Input) (cards.Card, error) {
	lr, err := b.beginLicenceRun(t.Ctx, LicenceRunOptions{Trigger: domain.TriggerBot, By: t.Principal.Name, Force: in.Str("force") == "true"})
	if err != nil {
		return cards.Card{}, err
	}
	t.Log.Info("licence run started from Teams", "run", lr.run.ID, "force", lr.opts.Force)
	b.lic.runs.Add(1)
	go func() {
		defer b.lic.runs.Done()
		if _, err := lr.execute(context.Background()); err != nil {
			b.log.Error("licence run failed", "run", lr.run.ID, "err", err)
		}
	}()
	return b.licenceRunsCard(t, t.T("licence.runs.started", lr.run.ID))
}

// licenceRunPreview runs without posting or storing and shows the report.
func (b *Bot) licenceRunPreview(t *Turn, _ Input) (cards.Card, error) {
	res, err := b.RunLicences(t.Ctx, LicenceRunOptions{Trigger: domain.TriggerBot, By: t.Principal.Name, DryRun: true})
	if err != nil {
		return cards.Card{}, err
	}
	return cards.LicenceReportCard(t.Lang, res.Run, b.cfg.Location, true), nil
}

func (b *Bot) pricesCard(t *Turn, page int, notice string) (cards.Card, error) {
	products, err := b.store.LicenceProducts(t.Ctx)
	if err != nil {
		return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	prices, err := b.store.LicencePrices(t.Ctx)
	if err != nil {
		return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	cat := domain.NewLicenceCatalogue(products, prices)
	parts, latest := b.knownParts(t.Ctx)
	v := cards.LicencePricesView{Products: len(products), Page: page, Notice: notice}
	for _, p := range prices {
		info := cat.Resolve(p.SkuID, parts[p.SkuID])
		v.Prices = append(v.Prices, cards.PriceLine{SkuID: p.SkuID, Name: info.Name, PartNumber: info.PartNumber, Price: p.Price})
	}
	for _, s := range latest {
		if info := cat.Resolve(s.SkuID, s.PartNumber); !info.Priced && s.Consumed > 0 {
			v.Unpriced = append(v.Unpriced, info.Name)
		}
	}
	return cards.LicencePricesCard(t.Lang, v), nil
}

// knownParts returns the part numbers the tenant's subscriptions had at
// the latest run (they name the SKUs Microsoft's table lacks), and those
// subscriptions.
func (b *Bot) knownParts(ctx context.Context) (map[string]string, []domain.RunSku) {
	parts := map[string]string{}
	runs, err := b.store.ListLicenceRuns(ctx, 5)
	if err != nil {
		return parts, nil
	}
	for _, r := range runs {
		if len(r.Skus) == 0 {
			continue
		}
		for _, s := range r.Skus {
			parts[s.SkuID] = s.PartNumber
		}
		return parts, r.Skus
	}
	return parts, nil
}

func (b *Bot) setPrice(t *Turn, in Input) (cards.Card, error) {
	price, err := domain.ParseMoney(in.Str("price"))
	if err != nil {
		return cards.Card{}, err
	}
	products, err := b.store.LicenceProducts(t.Ctx)
	if err != nil {
		return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	cat := domain.NewLicenceCatalogue(products, nil)
	prices, problems := domain.ResolvePrices([]domain.PriceRow{{Sku: in.Str("sku"), Price: price, Name: in.Str("name")}}, cat, t.Now, t.Principal.UserID)
	if len(problems) > 0 {
		return cards.Card{}, problems[0].Err
	}
	if err := b.store.SetLicencePrice(t.Ctx, prices[0]); err != nil {
		return cards.Card{}, err
	}
	parts, _ := b.knownParts(t.Ctx)
	name := domain.NewLicenceCatalogue(products, prices).Resolve(prices[0].SkuID, parts[prices[0].SkuID]).Name
	t.Log.Info("licence price set", "sku", prices[0].SkuID, "cents", int64(price))
	return b.pricesCard(t, 0, t.T("licence.prices.saved", name, cards.Euros(t.Lang, price)))
}

func (b *Bot) deletePrice(t *Turn, in Input) (cards.Card, error) {
	sku := domain.NormalizeSkuID(in.Str("skuId"))
	products, _ := b.store.LicenceProducts(t.Ctx)
	parts, _ := b.knownParts(t.Ctx)
	name := domain.NewLicenceCatalogue(products, nil).Resolve(sku, parts[sku]).Name
	if err := b.store.DeleteLicencePrice(t.Ctx, sku); err != nil {
		return cards.Card{}, err
	}
	t.Log.Info("licence price removed", "sku", sku)
	return b.pricesCard(t, inputInt(in, "page"), t.T("licence.prices.deleted", name))
}

func (b *Bot) establishmentsCard(t *Turn, page int, notice string) (cards.Card, error) {
	ests, err := b.store.ListEstablishments(t.Ctx)
	if err != nil {
		return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	return cards.EstablishmentsCard(t.Lang, ests, page, notice), nil
}

func (b *Bot) editEstablishment(t *Turn, in Input) (cards.Card, error) {
	e, err := b.store.Establishment(t.Ctx, domain.NormalizeEstablishmentCode(in.Str("establishment")))
	if err != nil {
		return cards.Card{}, err
	}
	return cards.EstablishmentEditCard(t.Lang, e), nil
}

// ParseGroupIDs reads the Entra group ids an admin typed, separated by
// commas, semicolons, spaces or new lines; EINVALID for one that is not
// a GUID.
func ParseGroupIDs(s string) ([]string, error) {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		id := domain.NormalizeSkuID(f)
		if !domain.IsSkuID(id) {
			return nil, domain.Errorf(domain.EINVALID, "err.licence.group_id", f)
		}
		if !containsStr(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// saveEstablishment adds an establishment (the form has a code) or
// updates one (the data names it).
func (b *Bot) saveEstablishment(t *Turn, in Input) (cards.Card, error) {
	groups, err := ParseGroupIDs(in.Str("est_groups"))
	if err != nil {
		return cards.Card{}, err
	}
	corr := ""
	if c := in.Str("est_correspondents"); c != "" {
		ids, err := ParseGroupIDs(c)
		if err != nil || len(ids) != 1 {
			return cards.Card{}, domain.Errorf(domain.EINVALID, "err.licence.group_id", c)
		}
		corr = ids[0]
	}
	apply := func(e *domain.Establishment) {
		e.Name = strings.TrimSpace(in.Str("est_name"))
		e.StaffGroupIDs, e.CorrespondentGroupID = groups, corr
		e.UpdatedAt, e.UpdatedBy = t.Now, t.Principal.UserID
	}
	code := domain.NormalizeEstablishmentCode(in.Str("establishment"))
	if code == "" {
		e := domain.Establishment{Code: domain.NormalizeEstablishmentCode(in.Str("est_code"))}
		apply(&e)
		if err := b.store.CreateEstablishment(t.Ctx, e); err != nil {
			return cards.Card{}, err
		}
		code = e.Code
	} else if _, err := b.store.UpdateEstablishment(t.Ctx, code, func(e *domain.Establishment) error { apply(e); return nil }); err != nil {
		return cards.Card{}, err
	}
	t.Log.Info("establishment saved", "establishment", code)
	return b.establishmentsCard(t, 0, t.T("licence.est.saved", code))
}

func (b *Bot) askDeleteEstablishment(t *Turn, in Input) (cards.Card, error) {
	e, err := b.store.Establishment(t.Ctx, domain.NormalizeEstablishmentCode(in.Str("establishment")))
	if err != nil {
		return cards.Card{}, err
	}
	return cards.EstablishmentDeleteCard(t.Lang, e), nil
}

func (b *Bot) deleteEstablishment(t *Turn, in Input) (cards.Card, error) {
	code := domain.NormalizeEstablishmentCode(in.Str("establishment"))
	if err := b.store.DeleteEstablishment(t.Ctx, code); err != nil {
		return cards.Card{}, err
	}
	t.Log.Info("establishment deleted", "establishment", code)
	return b.establishmentsCard(t, 0, t.T("licence.est.deleted", code))
}

func (b *Bot) unbindEstablishment(t *Turn, in Input) (cards.Card, error) {
	code := domain.NormalizeEstablishmentCode(in.Str("establishment"))
	if _, err := b.store.UpdateEstablishment(t.Ctx, code, func(e *domain.Establishment) error {
		e.ChannelID, e.UpdatedAt, e.UpdatedBy = "", t.Now, t.Principal.UserID
		return nil
	}); err != nil {
		return cards.Card{}, err
	}
	return b.establishmentsCard(t, 0, t.T("licence.est.unbound", code))
}

// Binding channels: "@Parc lier CODE" typed in a team channel.

// channelOf returns the channel the turn happens in, saved as a
// conversation reference; EINVALID outside a team channel.
func (b *Bot) channelOf(t *Turn) (domain.ConversationRef, error) {
	ref := conversationRef(t.Activity, t.Now)
	if ref.Kind != domain.ConversationChannel {
		return ref, domain.Errorf(domain.EINVALID, "err.licence.bind_channel")
	}
	if err := b.store.SaveConversation(t.Ctx, ref); err != nil {
		return ref, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	return ref, nil
}

func (b *Bot) bindEstablishment(t *Turn, args string) (cards.Card, error) {
	code := domain.NormalizeEstablishmentCode(args)
	if code == "" || strings.ContainsAny(code, " \t") {
		return cards.Card{}, domain.Errorf(domain.EINVALID, "err.licence.bind_usage")
	}
	ref, err := b.channelOf(t)
	if err != nil {
		return cards.Card{}, err
	}
	e, err := b.store.UpdateEstablishment(t.Ctx, code, func(e *domain.Establishment) error {
		e.ChannelID, e.UpdatedAt, e.UpdatedBy = ref.ID, t.Now, t.Principal.UserID
		return nil
	})
	if err != nil {
		return cards.Card{}, err
	}
	t.Log.Info("establishment channel bound", "establishment", code, "channel", ref.ID)
	return cards.ChannelBound(t.Lang, t.T("licence.bind.done", e.Name, e.Code)), nil
}

func (b *Bot) bindITChannel(t *Turn, _ string) (cards.Card, error) {
	ref, err := b.channelOf(t)
	if err != nil {
		return cards.Card{}, err
	}
	if _, err := b.store.UpdateLicenceSettings(t.Ctx, func(s *domain.LicenceSettings) error {
		s.ITChannelID, s.UpdatedAt, s.UpdatedBy = ref.ID, t.Now, t.Principal.UserID
		return nil
	}); err != nil {
		return cards.Card{}, domain.Wrap(err, domain.EUNAVAILABLE, "error.unavailable")
	}
	t.Log.Info("IT channel bound", "channel", ref.ID)
	return cards.ChannelBound(t.Lang, t.T("licence.bind.report")), nil
}

// retryAfterOf returns the delay Teams asked for when it throttled a post.
func retryAfterOf(err error) time.Duration {
	var he *connector.HTTPError
	if errors.As(err, &he) {
		return he.RetryAfter
	}
	return 0
}
