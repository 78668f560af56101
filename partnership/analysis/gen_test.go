package analysis_test

import (
	"fmt"
	"math/rand/v2"

	"pgregory.net/rapid"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// genDataset draws a small random dataset: a few schools, organisations and
// networks with random memberships, features chosen from small sets so
// that ties and edge cases (unknown headcounts, empty purposes) come up.
func genDataset(t *rapid.T) partnership.Dataset {
	var d partnership.Dataset
	nS := rapid.IntRange(1, 14).Draw(t, "schools")
	phases := []partnership.Phase{partnership.PhasePrimary, partnership.PhaseSecondary, partnership.PhaseSpecial}
	govs := []partnership.Governance{partnership.GovernanceLAMaintained, partnership.GovernanceAcademyConverter,
		partnership.GovernanceAcademySponsorLed, partnership.GovernanceFreeSchool}
	urban := []string{"", "Urban city and town", "Rural village"}
	for i := range nS {
		d.Schools = append(d.Schools, partnership.School{
			URN:        partnership.URN(100 + i),
			Name:       fmt.Sprintf("School %d", i),
			Phase:      rapid.SampledFrom(phases).Draw(t, "phase"),
			Governance: rapid.SampledFrom(govs).Draw(t, "governance"),
			LA:         rapid.IntRange(1, 2).Draw(t, "la"),
			Location: partnership.Location{Lat: 53.8 + float64(rapid.IntRange(-10, 10).Draw(t, "lat"))/100,
				Lon: -1.5 + float64(rapid.IntRange(-10, 10).Draw(t, "lon"))/100},
			Pupils:     knownIf(100*rapid.IntRange(0, 4).Draw(t, "pupils"), func(n int) bool { return n > 0 }),
			FSMPercent: knownIf(float64(rapid.SampledFrom([]int{-1, 0, 10, 20, 40}).Draw(t, "fsm")), func(f float64) bool { return f >= 0 }),
			UrbanRural: rapid.SampledFrom(urban).Draw(t, "urban"),
		})
	}
	nO := rapid.IntRange(0, 3).Draw(t, "orgs")
	for i := range nO {
		d.Organisations = append(d.Organisations, partnership.Organisation{
			ID: partnership.OrgID(fmt.Sprintf("org%d", i)), Kind: partnership.OrgConnector, Name: fmt.Sprintf("Org %d", i)})
	}
	kinds := []partnership.NetworkKind{partnership.NetworkTrust, partnership.NetworkFederation,
		partnership.NetworkAlliance, partnership.NetworkHub, partnership.NetworkCluster, partnership.NetworkLocalAuthority}
	nN := rapid.IntRange(0, 8).Draw(t, "networks")
	for i := range nN {
		id := partnership.NetworkID(fmt.Sprintf("net%d", i))
		d.Networks = append(d.Networks, partnership.Network{ID: id, Name: fmt.Sprintf("Network %d", i),
			Kind: rapid.SampledFrom(kinds).Draw(t, "kind"), Purpose: rapid.SampledFrom([]string{"", "reading", "maths"}).Draw(t, "purpose")})
		var members []partnership.OrgID
		for _, s := range d.Schools {
			members = append(members, s.URN.OrgID())
		}
		for _, o := range d.Organisations {
			members = append(members, o.ID)
		}
		for _, mb := range members {
			if rapid.IntRange(0, 3).Draw(t, "in") == 0 {
				d.Memberships = append(d.Memberships, partnership.Membership{
					ID: partnership.MembershipID(fmt.Sprintf("m%d", len(d.Memberships))), Network: id, Member: mb,
					Role: partnership.MemberRole(rapid.IntRange(1, 5).Draw(t, "role"))})
			}
		}
	}
	return d
}

func genModel(t *rapid.T) *partnership.Model {
	m, err := partnership.NewModel(genDataset(t))
	if err != nil {
		t.Fatalf("generated dataset is invalid: %v", err)
	}
	return m
}

// syntheticEngland generates a model the size of England's (about 24,000
// schools in 150 local authorities, 7,000 networks): multi-academy trusts
// of nearby schools, single-academy trusts, federations, sponsors that
// support several trusts' schools and a few hubs, from a fixed seed.
func syntheticEngland(seed uint64) *partnership.Model {
	rng := rand.New(rand.NewPCG(seed, 42))
	var d partnership.Dataset
	const las = 150
	type la struct{ lat, lon float64 }
	centres := make([]la, las)
	for i := range centres {
		centres[i] = la{50.5 + 4.5*rng.Float64(), -3.5 + 5*rng.Float64()}
	}
	byLA := make([][]int, las)
	for i := range 24000 {
		l := rng.IntN(las)
		ph := partnership.PhasePrimary
		switch r := rng.IntN(100); {
		case r >= 95:
			ph = partnership.PhaseSpecial
		case r >= 80:
			ph = partnership.PhaseSecondary
		}
		gov := partnership.GovernanceLAMaintained
		if rng.IntN(100) < 45 {
			gov = partnership.GovernanceAcademyConverter
		}
		pupils := 100 + rng.IntN(500)
		if ph == partnership.PhaseSecondary {
			pupils = 500 + rng.IntN(1500)
		}
		ur := "Urban city and town"
		if rng.IntN(100) < 25 {
			ur = "Rural village"
		}
		d.Schools = append(d.Schools, partnership.School{
			URN: partnership.URN(100000 + i), Name: fmt.Sprintf("School %d", i), Phase: ph, Governance: gov,
			LA: 300 + l, LAName: fmt.Sprintf("LA %d", 300+l),
			Location: partnership.Location{Lat: centres[l].lat + 0.15*rng.NormFloat64(), Lon: centres[l].lon + 0.2*rng.NormFloat64()},
			Pupils:   partnership.Known(pupils), FSMPercent: partnership.Known(float64(rng.IntN(600)) / 10), UrbanRural: ur,
		})
		byLA[l] = append(byLA[l], i)
	}
	used := make([]bool, len(d.Schools))
	add := func(kind partnership.NetworkKind, schools []int) partnership.NetworkID {
		id := partnership.NetworkID(fmt.Sprintf("n%d", len(d.Networks)))
		d.Networks = append(d.Networks, partnership.Network{ID: id, Kind: kind, Name: fmt.Sprintf("%s %d", kind, len(d.Networks))})
		for _, s := range schools {
			d.Memberships = append(d.Memberships, partnership.Membership{
				ID: partnership.MembershipID(fmt.Sprintf("m%d", len(d.Memberships))), Network: id,
				Member: d.Schools[s].URN.OrgID(), Role: partnership.RoleMember})
		}
		return id
	}
	pick := func(n int) []int {
		l := byLA[rng.IntN(las)]
		var out []int
		for tries := 0; len(out) < n && tries < 4*n; tries++ {
			s := l[rng.IntN(len(l))]
			if !used[s] {
				used[s] = true
				out = append(out, s)
			}
		}
		return out
	}
	var mats [][]int
	for range 1500 {
		size := 2 + int(rng.ExpFloat64()*6)
		if s := pick(min(size, 80)); len(s) > 0 {
			mats = append(mats, s)
			add(partnership.NetworkTrust, s)
		}
	}
	for range 1250 {
		add(partnership.NetworkTrust, pick(1))
	}
	for range 650 {
		add(partnership.NetworkFederation, pick(2+rng.IntN(2)))
	}
	for range 1150 {
		// A sponsor supports the schools of one to three trusts.
		var s []int
		for range 1 + rng.IntN(3) {
			s = append(s, mats[rng.IntN(len(mats))]...)
		}
		add(partnership.NetworkSponsorship, s)
	}
	for range 2400 {
		add(partnership.NetworkOther, pick(1+rng.IntN(3)))
	}
	for range 40 {
		// Hubs draw on one local authority's schools.
		l := byLA[rng.IntN(las)]
		add(partnership.NetworkHub, l[:min(len(l), 60)])
	}
	m, err := partnership.NewModel(d)
	if err != nil {
		panic(err) // generated data is valid by construction
	}
	return m
}

// knownIf returns v as known when known(v), otherwise unknown.
func knownIf[T comparable](v T, known func(T) bool) partnership.Optional[T] {
	if known(v) {
		return partnership.Known(v)
	}
	return partnership.Optional[T]{}
}
