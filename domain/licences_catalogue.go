package domain

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// LicenceProduct is one product (SKU) of Microsoft's catalogue: its id
// (the skuId Graph returns in assignedLicenses), its part number (the
// "technical name", skuPartNumber: ENTERPRISEPACK) and its commercial name
// (Office 365 E3), with the service plans it includes. Two products that
// include the same plans overlap (a user holding both pays twice).
//
// Part numbers are not unique in Microsoft's table (one is shared by two
// products) and commercial names neither: only SkuID identifies a product.
type LicenceProduct struct {
	SkuID        string        `json:"skuId"` // lower-case GUID
	PartNumber   string        `json:"partNumber"`
	Name         string        `json:"name,omitempty"`
	ServicePlans []ServicePlan `json:"servicePlans,omitempty"`
	UpdatedAt    time.Time     `json:"updatedAt"`
}

// ServicePlan is one service included in a product (EXCHANGE_S_ENTERPRISE).
type ServicePlan struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// FriendlyName is Microsoft's readable name of the plan.
	FriendlyName string `json:"friendlyName,omitempty"`
}

// Validate checks the product's rules: a GUID and a part number.
func (p LicenceProduct) Validate() error {
	if !isGUID(p.SkuID) {
		return Errorf(EINVALID, "err.licence.sku", p.SkuID)
	}
	if strings.TrimSpace(p.PartNumber) == "" {
		return Errorf(EINVALID, "err.licence.part_number")
	}
	return nil
}

// Money is an amount in euro cents. Prices are excl. VAT, per month.
type Money int64

// Euros returns the amount as a decimal string with two decimals and a
// point ("6.30", "-1.05"); the cards format it for the reader's language.
func (m Money) Euros() string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%d.%02d", sign, m/100, m%100)
}

var moneyRe = regexp.MustCompile(`^(\d{1,7})(?:[.,](\d{1,2}))?$`)

// ParseMoney reads an amount in euros as people write it: "6.3", "6,30",
// "6,30 €", "€6.30", "12". At most two decimals, never negative;
// EINVALID otherwise.
func ParseMoney(s string) (Money, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSuffix(strings.TrimPrefix(t, "€"), "€")
	t = strings.TrimSuffix(strings.TrimSpace(t), "EUR")
	t = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, t)
	m := moneyRe.FindStringSubmatch(t)
	if m == nil {
		return 0, Errorf(EINVALID, "err.licence.price", s)
	}
	units, _ := strconv.ParseInt(m[1], 10, 64)
	cents := int64(0)
	if frac := m[2]; frac != "" {
		if len(frac) == 1 {
			frac += "0"
		}
		cents, _ = strconv.ParseInt(frac, 10, 64)
	}
	return Money(units*100 + cents), nil
}

// LicencePrice is what a SKU costs per user and month, excl. VAT, as the
// organisation pays it. Name, when set, replaces the catalogue's name (a
// SKU Microsoft's table does not list yet).
type LicencePrice struct {
	SkuID     string    `json:"skuId"`
	Price     Money     `json:"price"`
	Name      string    `json:"name,omitempty"`
	UpdatedAt time.Time `json:"updatedAt"`
	UpdatedBy string    `json:"updatedBy,omitempty"`
}

// maxPrice bounds a monthly price: a typo of a few digits is refused.
const maxPrice Money = 100000 * 100

// Validate checks the price's rules: a SKU id, an amount between 0 and
// 100,000 euros, a name of at most 120 characters.
func (p LicencePrice) Validate() error {
	if !isGUID(p.SkuID) {
		return Errorf(EINVALID, "err.licence.sku", p.SkuID)
	}
	if p.Price < 0 || p.Price > maxPrice {
		return Errorf(EINVALID, "err.licence.price", p.Price.Euros())
	}
	if len(p.Name) > 120 {
		return Errorf(EINVALID, "err.licence.name")
	}
	return nil
}

var guidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// isGUID accepts lower-case GUIDs only: SKU ids are normalised on the way
// in (NormalizeSkuID) so that the same SKU never has two keys.
func isGUID(s string) bool { return guidRe.MatchString(s) }

// NormalizeSkuID lower-cases and trims a SKU id (and drops braces).
func NormalizeSkuID(s string) string {
	return strings.ToLower(strings.Trim(strings.TrimSpace(s), "{}"))
}

// IsSkuID reports whether s (normalised) is a SKU id.
func IsSkuID(s string) bool { return isGUID(NormalizeSkuID(s)) }

// LicenceCatalogue resolves SKU ids to names, prices and service plans:
// the catalogue and the prices read once for a run.
type LicenceCatalogue struct {
	products map[string]LicenceProduct
	prices   map[string]LicencePrice
}

// NewLicenceCatalogue indexes products and prices by SKU id.
func NewLicenceCatalogue(products []LicenceProduct, prices []LicencePrice) *LicenceCatalogue {
	c := &LicenceCatalogue{products: make(map[string]LicenceProduct, len(products)), prices: make(map[string]LicencePrice, len(prices))}
	for _, p := range products {
		c.products[p.SkuID] = p
	}
	for _, p := range prices {
		c.prices[p.SkuID] = p
	}
	return c
}

// Product returns the catalogue entry of skuID.
func (c *LicenceCatalogue) Product(skuID string) (LicenceProduct, bool) {
	p, ok := c.products[skuID]
	return p, ok
}

// Price returns the price of skuID.
func (c *LicenceCatalogue) Price(skuID string) (LicencePrice, bool) {
	p, ok := c.prices[skuID]
	return p, ok
}

// Products returns how many products the catalogue has.
func (c *LicenceCatalogue) Products() int { return len(c.products) }

// ByPartNumber returns the SKU ids whose part number is pn (ignoring case
// and spaces): usually one, two for a part number Microsoft reused.
func (c *LicenceCatalogue) ByPartNumber(pn string) []string {
	want := squash(pn)
	var out []string
	for id, p := range c.products {
		if squash(p.PartNumber) == want {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// squash upper-cases and removes spaces: Microsoft's table has part
// numbers with stray spaces ("Microsoft_365_ Business_ Premium").
func squash(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// SkuInfo is how a run shows a SKU: its name (the commercial name, else
// the part number, else the id) and its price when known.
type SkuInfo struct {
	SkuID      string `json:"skuId"`
	PartNumber string `json:"partNumber,omitempty"`
	Name       string `json:"name"`
	// Named is false when no commercial name is known: Name is then the
	// part number (the old flow's "technical name").
	Named  bool  `json:"named"`
	Priced bool  `json:"priced"`
	Price  Money `json:"price,omitempty"`
}

// Resolve returns how skuID is shown. partNumber is what the directory
// said (subscribedSkus), used when the catalogue does not know the SKU.
func (c *LicenceCatalogue) Resolve(skuID, partNumber string) SkuInfo {
	info := SkuInfo{SkuID: skuID, PartNumber: partNumber}
	if p, ok := c.products[skuID]; ok {
		if info.PartNumber == "" {
			info.PartNumber = p.PartNumber
		}
		if p.Name != "" {
			info.Name, info.Named = p.Name, true
		}
	}
	if pr, ok := c.prices[skuID]; ok {
		info.Priced, info.Price = true, pr.Price
		if pr.Name != "" {
			info.Name, info.Named = pr.Name, true
		}
	}
	if !info.Named {
		info.Name = info.PartNumber
		if info.Name == "" {
			info.Name = skuID
		}
	}
	return info
}

// plansOf returns the service plans of skuID that count for overlaps.
func (c *LicenceCatalogue) plansOf(skuID string) map[string]bool {
	p, ok := c.products[skuID]
	if !ok {
		return nil
	}
	out := make(map[string]bool, len(p.ServicePlans))
	for _, sp := range p.ServicePlans {
		if ignoredPlan(sp.Name) {
			continue
		}
		out[strings.ToUpper(strings.TrimSpace(sp.Name))] = true
	}
	return out
}

// ignoredPlan: Exchange Foundation comes with hundreds of products,
// free ones included; sharing it means nothing.
func ignoredPlan(name string) bool {
	return strings.EqualFold(strings.TrimSpace(name), "EXCHANGE_S_FOUNDATION")
}

// Overlap reports the service plans two SKUs share when they overlap: at
// least half of the smaller product's plans (Exchange Foundation aside)
// are also in the other. Office 365 E3 and Microsoft 365 E3 overlap;
// Power BI (free) and Power Automate Free do not.
func (c *LicenceCatalogue) Overlap(a, b string) []string {
	pa, pb := c.plansOf(a), c.plansOf(b)
	if len(pa) == 0 || len(pb) == 0 {
		return nil
	}
	var shared []string
	for p := range pa {
		if pb[p] {
			shared = append(shared, p)
		}
	}
	if len(shared) == 0 || 2*len(shared) < min(len(pa), len(pb)) {
		return nil
	}
	slices.Sort(shared)
	return shared
}
