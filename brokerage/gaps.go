package brokerage

import (
	"cmp"
	"slices"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Gap is unmet demand in one region and area (either may be "" in the
// totals by area or by region): where the system lacks capacity.
type Gap struct {
	Region string                  `json:"region"`
	Area   partnership.ExpertiseID `json:"area"`
	// Needs, Met and Unmet count needs; UnmetDays sums the days of the
	// unmet ones.
	Needs     int     `json:"needs"`
	Met       int     `json:"met"`
	Unmet     int     `json:"unmet"`
	UnmetDays float64 `json:"unmet_days"`
	// Capacity is the engagements offered by providers in the region (or
	// everywhere, for totals by area) covering the area.
	Capacity int `json:"capacity"`
	// NoProvider, Excluded and Capacity count the unmet needs by reason.
	NoProvider   int `json:"no_provider"`
	Excluded     int `json:"excluded"`
	CapacityFull int `json:"capacity_full"`
}

// GapReport aggregates a result's unmet needs.
type GapReport struct {
	// ByRegion, ByArea and ByRegionArea are sorted by unmet needs, most
	// first, then by name.
	ByRegion     []Gap `json:"by_region"`
	ByArea       []Gap `json:"by_area"`
	ByRegionArea []Gap `json:"by_region_area"`
	Needs        int   `json:"needs"`
	Unmet        int   `json:"unmet"`
	// NeedsWithoutLocation and OffersWithoutLocation are the result's
	// counts: needs and offers whose distances are unknown.
	NeedsWithoutLocation  int `json:"needs_without_location"`
	OffersWithoutLocation int `json:"offers_without_location"`
}

// Gaps builds the gap report of r, the result of matching needs to offers.
// Needs without a region are counted under "unknown".
func Gaps(needs []Need, offers []Offer, r *Result) *GapReport {
	unmet := map[NeedID]UnmetReason{}
	for _, u := range r.Unmet {
		unmet[u.Need] = u.Reason
	}
	type key struct {
		region string
		area   partnership.ExpertiseID
	}
	rows := map[key]*Gap{}
	row := func(k key) *Gap {
		g := rows[k]
		if g == nil {
			g = &Gap{Region: k.region, Area: k.area}
			rows[k] = g
		}
		return g
	}
	region := func(s string) string {
		if s == "" {
			return "unknown"
		}
		return s
	}
	rep := &GapReport{Needs: len(needs), NeedsWithoutLocation: r.NeedsWithoutLocation, OffersWithoutLocation: r.OffersWithoutLocation}
	for _, n := range needs {
		reason, isUnmet := unmet[n.ID]
		for _, k := range []key{{region(n.Region), n.Area}, {region(n.Region), ""}, {"", n.Area}} {
			g := row(k)
			g.Needs++
			if !isUnmet {
				g.Met++
				continue
			}
			g.Unmet++
			g.UnmetDays += n.Days
			switch reason {
			case UnmetNoProvider:
				g.NoProvider++
			case UnmetExcluded:
				g.Excluded++
			case UnmetCapacity:
				g.CapacityFull++
			}
		}
		if isUnmet {
			rep.Unmet++
		}
	}
	for _, o := range offers {
		for _, a := range o.Areas {
			if g := rows[key{region(o.Region), a.Area}]; g != nil {
				g.Capacity += o.Capacity
			}
			if g := rows[key{"", a.Area}]; g != nil {
				g.Capacity += o.Capacity
			}
		}
		if g := rows[key{region(o.Region), ""}]; g != nil {
			g.Capacity += o.Capacity
		}
	}
	for k, g := range rows {
		switch {
		case k.region == "":
			rep.ByArea = append(rep.ByArea, *g)
		case k.area == "":
			rep.ByRegion = append(rep.ByRegion, *g)
		default:
			rep.ByRegionArea = append(rep.ByRegionArea, *g)
		}
	}
	for _, l := range [][]Gap{rep.ByArea, rep.ByRegion, rep.ByRegionArea} {
		slices.SortFunc(l, func(a, b Gap) int {
			return cmp.Or(cmp.Compare(b.Unmet, a.Unmet), cmp.Compare(a.Region, b.Region), cmp.Compare(a.Area, b.Area))
		})
	}
	return rep
}
