package england_test

import (
	"context"
	"fmt"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

// Load the embedded Yorkshire and the Humber data and look at what each
// extract gave.
func ExampleLoadEmbedded() {
	r, err := england.LoadEmbedded(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range r.Files {
		fmt.Printf("%-17s rows %5d  used %5d\n", f.Kind, f.Rows, f.Used)
	}
	d := r.Dataset
	fmt.Println("schools:", len(d.Schools))
	fmt.Println("networks:", len(d.Networks))
	fmt.Println("memberships:", len(d.Memberships))
	fmt.Println("inspections:", len(d.Inspections))
	// Output:
	// coordinates       rows  2279  used  2275
	// gias-groups       rows   497  used   497
	// gias-group-links  rows  2448  used  2260
	// gias-links        rows  3328  used  3275
	// inspections       rows  5865  used  5864
	// school-census     rows  2388  used  2388
	// schools: 2388
	// networks: 512
	// memberships: 3320
	// inspections: 5864
}

// Find a school's trust and its inspection history, following the
// predecessor links of a converter academy.
func ExampleResult_Model() {
	r, err := england.LoadEmbedded(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := r.Model()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range m.Schools() {
		h := m.Inspections(s.URN) // newest first, predecessors' included
		if s.Governance != partnership.GovernanceAcademyConverter || len(h) < 3 || h[len(h)-1].URN == s.URN {
			continue
		}
		fmt.Println(s.Name, "-", s.LAName)
		for _, ms := range m.MembershipsOf(s.URN.OrgID(), time.Time{}) {
			fmt.Println("  in", m.Network(ms.Network).Kind, m.Network(ms.Network).Name)
		}
		for _, in := range h {
			fmt.Println("  ", in.Date.Format("2006-01-02"), in.Overall, "URN", in.URN)
		}
		break
	}
	// Output:
	// Worsbrough Common Primary School - Barnsley
	//   in sponsorship HCAT
	//   in trust HCAT
	//    2018-11-14 requires-improvement URN 106576
	//    2011-11-23 outstanding URN 106576
	//    2008-10-20 good URN 106576
	//    2005-11-07 requires-improvement URN 106576
}

// Count Leeds's state-funded schools and its largest trusts.
func ExampleResult_Stats() {
	r, err := england.LoadEmbedded(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	st, err := r.Stats("Leeds")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("state-funded schools:", st.Schools)
	fmt.Println("primary:", st.ByPhase[partnership.PhasePrimary], "secondary:", st.ByPhase[partnership.PhaseSecondary])
	fmt.Println("open multi-academy trusts:", st.Trusts)
	fmt.Println("schools in a trust:", st.SchoolsInTrust)
	for _, t := range st.LargestTrusts[:3] {
		fmt.Printf("%s (%s): %d\n", t.Name, t.ID, t.Count)
	}
	// Output:
	// state-funded schools: 278
	// primary: 222 secondary: 46
	// open multi-academy trusts: 22
	// schools in a trust: 103
	// THE GORSE ACADEMIES TRUST (TR00878): 12
	// ST GREGORY THE GREAT CATHOLIC ACADEMY TRUST (TR03734): 9
	// RED KITE LEARNING TRUST (TR00969): 8
}
