package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/fulcrum-edu/fulcrum/internal/atomicfile"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/analysis"
)

// maxKm bounds every distance flag: England is under 1000 km from end to
// end.
const maxKm = 1000

// analysisFlags are the flags every network analysis command takes.
type analysisFlags struct {
	data, la, region, within, at string
	withLA                       bool
	format                       *formatFlag
}

// addAnalysisFlags registers the analysis flags on c, whose --format
// accepts formats (the first is the default).
func addAnalysisFlags(c *cobra.Command, formats ...string) *analysisFlags {
	f := &analysisFlags{}
	fs := c.Flags()
	addDataFlag(c, &f.data)
	fs.StringVar(&f.la, "la", "", "restrict to the local authority with this `NAME` or three-digit code")
	fs.StringVar(&f.region, "region", "", "restrict to the region with this `NAME`")
	fs.StringVar(&f.within, "within", "", "restrict to schools within KM kilometres of a point, given as `LAT,LON,KM`")
	fs.StringVar(&f.at, "at", "", "analyse memberships current on `DATE` (YYYY-MM-DD; default today)")
	fs.BoolVar(&f.withLA, "la-networks", false, "keep local authorities' networks of maintained schools in the graph")
	f.format = addFormat(c, formats...)
	return f
}

// options turns the flags into analysis options.
func (f *analysisFlags) options() (*analysis.Options, error) {
	areas := 0
	for _, a := range []string{f.la, f.region, f.within} {
		if a != "" {
			areas++
		}
	}
	if areas > 1 {
		return nil, usagef("use at most one of --la, --region and --within")
	}
	o := &analysis.Options{LocalAuthorityNetworks: f.withLA}
	if f.at == "" {
		o.At = time.Now().UTC().Truncate(24 * time.Hour)
	} else {
		at, err := time.Parse(time.DateOnly, f.at)
		if err != nil {
			return nil, usagef("--at %q: want a date as YYYY-MM-DD", f.at)
		}
		o.At = at
	}
	switch {
	case f.la != "":
		o.Area = analysis.ParseLA(f.la)
	case f.region != "":
		o.Area = analysis.InRegion(f.region)
	case f.within != "":
		parts := strings.Split(f.within, ",")
		var v [3]float64
		ok := len(parts) == 3
		for i := 0; ok && i < 3; i++ {
			x, err := strconv.ParseFloat(strings.TrimSpace(parts[i]), 64)
			ok = err == nil && !math.IsNaN(x) && !math.IsInf(x, 0)
			v[i] = x
		}
		if !ok || v[2] < 0 || v[0] < -90 || v[0] > 90 || v[1] < -180 || v[1] > 180 {
			return nil, usagef("--within %q: want LAT,LON,KM, e.g. 53.80,-1.55,5", f.within)
		}
		o.Area = analysis.Within(partnership.Location{Lat: v[0], Lon: v[1]}, v[2])
	}
	return o, nil
}

// model loads the data named by --data (the embedded subset when absent)
// and indexes it.
func (f *analysisFlags) model(ctx context.Context, e *env) (*partnership.Model, error) {
	res, err := loadData(ctx, e, f.data, false)
	if err != nil {
		return nil, err
	}
	return res.Model()
}

// checkArea fails when the area selects no school, which is almost always a
// misspelt --la or --region.
func checkArea(m *partnership.Model, o *analysis.Options) error {
	if o.Area == (analysis.Area{}) {
		return nil
	}
	for i := range m.Schools() {
		if o.Area.Contains(&m.Schools()[i]) {
			return nil
		}
	}
	return usagef("no school in %s", o.Area)
}

// isolatedReport is the JSON output of "network isolated".
type isolatedReport struct {
	Coverage   *analysis.CoverageReport  `json:"coverage"`
	Isolation  *analysis.IsolationReport `json:"isolation"`
	Duplicates []analysis.Duplicate      `json:"duplicates"`
}

// newNetworkIsolatedCmd is "fulcrum network isolated": coverage of an
// area's schools by collaborative and multi-school networks, schools and
// roles with no peer, and duplicate networks.
func newNetworkIsolatedCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "isolated",
		Short: "coverage by networks, schools and roles with no peer, duplicate networks",
		Long: `isolated reports the coverage of an area's schools by collaborative networks and by
networks of two or more schools, the schools in none, the schools with no peer of their
phase in their networks, people alone in their role, and near-duplicate networks.

` + factsHelp,
		Args: noArgs,
	}
	f := addAnalysisFlags(c, "table", "json", "csv")
	var limit int
	var anyKind bool
	intFlag(c, &limit, "limit", 20, 0, 1_000_000, "list at most `N` schools of each kind in a table (0: all)")
	c.Flags().BoolVar(&anyKind, "any-kind", false, "report duplicate networks of different kinds too (e.g. a sponsor and its trust)")
	c.RunE = func(c *cobra.Command, _ []string) error {
		o, err := f.options()
		if err != nil {
			return err
		}
		o.DuplicateAnyKind = anyKind
		m, err := f.model(c.Context(), e)
		if err != nil {
			return err
		}
		if err := checkArea(m, o); err != nil {
			return err
		}
		var r isolatedReport
		if r.Coverage, err = analysis.Coverage(m, o); err != nil {
			return err
		}
		if r.Isolation, err = analysis.Isolation(m, o); err != nil {
			return err
		}
		if r.Duplicates, err = analysis.Duplicates(m, o); err != nil {
			return err
		}
		switch f.format.value {
		case "json":
			return writeJSON(e.stdout, r)
		case "csv":
			return e.writeRecords("csv", factHeader, isolatedFacts(&r))
		}
		return writeIsolatedTable(e.stdout, &r, limit)
	}
	return c
}

func writeIsolatedTable(w io.Writer, r *isolatedReport, limit int) error {
	c := r.Coverage
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Coverage of %s on %s: %d schools\n", areaName(c.Area), c.At.Format(time.DateOnly), c.Schools)
	fmt.Fprintf(tw, "  in a collaborative network beyond their own governance:\t%d\t%s\n", c.Covered, pct(c.Covered, c.Schools))
	fmt.Fprintf(tw, "  in a network of two or more schools:\t%d\t%s\n", c.Connected, pct(c.Connected, c.Schools))
	tw.Flush()
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "governance\tschools\tcovered\tconnected\talone")
	for _, g := range c.ByGovernance {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\n", g.Governance, g.Schools, g.Covered, g.Connected, g.Schools-g.Connected)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "phase\tschools\tcovered\tconnected\talone")
	for _, p := range c.ByPhase {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\n", p.Phase, p.Schools, p.Covered, p.Connected, p.Schools-p.Connected)
	}
	tw.Flush()
	iso := r.Isolation
	fmt.Fprintf(w, "\nSchools in no network of two or more schools: %d\n", len(iso.Alone))
	writeSchools(w, iso.Alone, limit)
	fmt.Fprintf(w, "\nSchools with no school of their phase in any of their networks: %d\n", len(iso.NoPhasePeer))
	for i, p := range iso.NoPhasePeer {
		if limit > 0 && i == limit {
			fmt.Fprintf(w, "  ... and %d more\n", len(iso.NoPhasePeer)-limit)
			break
		}
		names := make([]string, len(p.Networks))
		for j, n := range p.Networks {
			names[j] = n.Name
		}
		fmt.Fprintf(w, "  %d  %s (%s) in %s\n", p.School.URN, p.School.Name, p.School.Phase, strings.Join(names, "; "))
	}
	fmt.Fprintf(w, "\nPeople alone in their setting in their role: %d\n", len(iso.LoneRoles))
	for i, l := range iso.LoneRoles {
		if limit > 0 && i == limit {
			fmt.Fprintf(w, "  ... and %d more\n", len(iso.LoneRoles)-limit)
			break
		}
		fmt.Fprintf(w, "  %s  %s at %s, %d peers in its networks\n", l.Person, l.Role, l.Home, l.NetworkPeers)
	}
	fmt.Fprintf(w, "\nDuplicate networks (near-identical members): %d\n", len(r.Duplicates))
	for i, d := range r.Duplicates {
		if limit > 0 && i == limit {
			fmt.Fprintf(w, "  ... and %d more\n", len(r.Duplicates)-limit)
			break
		}
		fmt.Fprintf(w, "  %s (%s, %s) and %s (%s, %s): Jaccard %.2f\n", d.A.Name, d.A.ID, d.A.Kind, d.B.Name, d.B.ID, d.B.Kind, d.Jaccard)
	}
	return tw.Flush()
}

func writeSchools(w io.Writer, ss []analysis.SchoolRef, limit int) {
	for i, s := range ss {
		if limit > 0 && i == limit {
			fmt.Fprintf(w, "  ... and %d more\n", len(ss)-limit)
			return
		}
		fmt.Fprintf(w, "  %d  %s (%s, %s, %s)\n", s.URN, s.Name, s.Phase, s.Governance, s.LAName)
	}
}

// areaName words an analysis.Area's description for a sentence.
func areaName(area string) string {
	if area == analysis.Everywhere().String() {
		return "all schools in the data"
	}
	return area
}

func pct(n, of int) string {
	if of == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(of))
}

// bridgesReport is the JSON output of "network bridges".
type bridgesReport struct {
	Bridges     *analysis.BridgeReport    `json:"bridges"`
	Links       *analysis.LinkPlan        `json:"links"`
	Communities *analysis.CommunityReport `json:"communities"`
}

// newNetworkBridgesCmd is "fulcrum network bridges": the organisations
// and networks that connect otherwise separate networks, the new links that
// would join the most isolated schools, and the natural communities.
func newNetworkBridgesCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "bridges",
		Short: "connectors between networks, new links for isolated schools, natural communities",
		Long: `bridges reports the organisations and networks whose loss would separate networks and
the most central nodes of the school–network graph, the new links that would join the
most isolated schools, and the natural communities of schools.

` + factsHelp,
		Args: noArgs,
	}
	f := addAnalysisFlags(c, "table", "json", "csv")
	var top, links int
	var radius float64
	var seed uint64
	var kinds string
	fs := c.Flags()
	intFlag(c, &top, "top", 20, 1, 10_000, "report the `N` most central nodes")
	intFlag(c, &links, "links", 10, 1, 10_000, "propose up to `N` new links")
	floatFlag(c, &radius, "radius", 10, 0, maxKm, "look for networks within `KM` of an isolated school")
	fs.Uint64Var(&seed, "seed", 1, "`SEED` for sampled betweenness and community detection")
	fs.StringVar(&kinds, "link-kinds", "", "propose only networks of these comma-separated `KINDS` (e.g. alliance,hub,other; default all)")
	c.RunE = func(c *cobra.Command, _ []string) error {
		ctx := c.Context()
		o, err := f.options()
		if err != nil {
			return err
		}
		if top <= 0 || links <= 0 || !(radius > 0) || seed == 0 {
			return usagef("--top, --links, --radius and --seed must be positive")
		}
		o.Top, o.Links, o.LinkRadiusKm, o.Seed = top, links, radius, seed
		for _, k := range strings.Split(kinds, ",") {
			if k = strings.TrimSpace(k); k == "" {
				continue
			}
			nk, err := partnership.ParseNetworkKind(k)
			if err != nil {
				return usagef("--link-kinds: %v", err)
			}
			o.LinkKinds = append(o.LinkKinds, nk)
		}
		m, err := f.model(ctx, e)
		if err != nil {
			return err
		}
		if err := checkArea(m, o); err != nil {
			return err
		}
		var r bridgesReport
		stop := e.startTask("finding connectors, new links and communities")
		defer stop()
		if r.Bridges, err = analysis.Bridges(ctx, m, o); err != nil {
			return err
		}
		if r.Links, err = analysis.Links(ctx, m, o); err != nil {
			return err
		}
		if r.Communities, err = analysis.Communities(ctx, m, o); err != nil {
			return err
		}
		stop()
		switch f.format.value {
		case "json":
			return writeJSON(e.stdout, r)
		case "csv":
			return e.writeRecords("csv", factHeader, bridgesFacts(&r))
		}
		return writeBridgesTable(e.stdout, &r, top)
	}
	return c
}

func writeBridgesTable(w io.Writer, r *bridgesReport, top int) error {
	b := r.Bridges
	fmt.Fprintf(w, "School–network graph of %s on %s: %d nodes, %d edges, %d components (largest %d nodes)\n",
		areaName(b.Area), b.At.Format(time.DateOnly), b.Nodes, b.Edges, b.Components, b.LargestComponent)
	if b.Sampled > 0 {
		fmt.Fprintf(w, "Betweenness sampled from %d sources in %d large components (seed %d)\n", b.Samples, b.Sampled, b.Seed)
	}
	fmt.Fprintf(w, "\nConnectors: %d nodes whose loss would separate networks\n", len(b.Connectors))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "kind\tname\tjoins\tdegree\tbetweenness")
	for i, c := range b.Connectors {
		if i == top {
			fmt.Fprintf(tw, "...\t%d more\n", len(b.Connectors)-top)
			break
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.0f\n", nodeKind(c.Node), c.Node.Name, c.JoinsNetworks, c.Degree, c.Betweenness)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nMost central")
	fmt.Fprintln(tw, "kind\tname\tjoins\tdegree\tbetweenness")
	for _, c := range b.Central {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.0f\n", nodeKind(c.Node), c.Node.Name, c.JoinsNetworks, c.Degree, c.Betweenness)
	}
	tw.Flush()
	l := r.Links
	fmt.Fprintf(w, "\nNew links: %d isolated schools, %d with a network member within %g km, %d joined by %d links\n",
		l.Isolated, l.Reachable, l.RadiusKm, l.Joined, len(l.Links))
	for _, k := range l.Links {
		fmt.Fprintf(w, "  %s (%s, %d schools): +%d isolated schools\n", k.Network.Name, k.Network.Kind, k.Network.Schools, len(k.Schools))
	}
	c := r.Communities
	fmt.Fprintf(w, "\nNatural communities: %d among %d connected schools (modularity %.3f), %d schools with no tie\n",
		len(c.Communities), c.Schools, c.Modularity, c.Singletons)
	for i, k := range c.Communities {
		if i == top {
			fmt.Fprintf(w, "  ... and %d more\n", len(c.Communities)-top)
			break
		}
		names := make([]string, 0, 3)
		for _, s := range k.Schools[:min(3, len(k.Schools))] {
			names = append(names, s.Name)
		}
		more := ""
		if len(k.Schools) > 3 {
			more = ", ..."
		}
		fmt.Fprintf(w, "  %d: %d schools (%s%s)\n", k.ID, len(k.Schools), strings.Join(names, ", "), more)
	}
	return nil
}

func nodeKind(n analysis.Node) string {
	switch n.Kind {
	case analysis.NodeNetwork:
		return "network/" + n.NetworkKind.String()
	case analysis.NodeOrganisation:
		return "org/" + n.OrgKind.String()
	}
	return "school"
}

// newNetworkExportCmd is "fulcrum network export": the school–network
// graph as GraphML or Graphviz DOT.
func newNetworkExportCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "export",
		Short: "the school–network graph as GraphML or Graphviz DOT",
		Args:  noArgs,
	}
	f := addAnalysisFlags(c, "graphml", "dot")
	var out string
	c.Flags().StringVar(&out, "out", "", "write to `FILE` instead of standard output")
	c.RunE = func(c *cobra.Command, _ []string) error {
		o, err := f.options()
		if err != nil {
			return err
		}
		m, err := f.model(c.Context(), e)
		if err != nil {
			return err
		}
		if err := checkArea(m, o); err != nil {
			return err
		}
		g, err := analysis.NewGraph(m, o)
		if err != nil {
			return err
		}
		write := analysis.WriteGraphML
		if f.format.value == "dot" {
			write = analysis.WriteDOT
		}
		if out == "" {
			return write(e.stdout, g)
		}
		return atomicfile.WriteFile(c.Context(), out, func(w io.Writer) error { return write(w, g) })
	}
	return c
}
