package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/internal/atomicfile"
	"github.com/fulcrum-edu/fulcrum/internal/csvout"
	"github.com/fulcrum-edu/fulcrum/internal/csvx"
	"github.com/fulcrum-edu/fulcrum/internal/mcfcmd"
)

// newBrokerCmd is "fulcrum broker ...": matching needs to expertise, the
// gap report, exporting a real-England instance and solving DIMACS
// minimum-cost flow problems.
func newBrokerCmd(e *env) *cobra.Command {
	return newGroup("broker", "match needs to expertise, report gaps, solve min-cost flows",
		newBrokerMatchCmd(e),
		newBrokerGapsCmd(e),
		newBrokerSolveCmd(e),
		newBrokerEnglandCmd(e),
	)
}

// brokerInput holds the flags that say where needs and offers come from.
type brokerInput struct {
	needs, offers string
	england       bool
	data          string
	lenient       bool
	seed          uint64
	strategy      string
	objective     string
	maxKm         float64
	allowUnknown  bool
	config        string
	format        *formatFlag
	cmd           *cobra.Command
}

func (in *brokerInput) register(c *cobra.Command) {
	fs := c.Flags()
	fs.StringVar(&in.needs, "needs", "", "needs CSV `FILE` (header: "+strings.Join(brokerage.NeedsHeader, ",")+")")
	fs.StringVar(&in.offers, "offers", "", "offers CSV `FILE` (header: "+strings.Join(brokerage.OffersHeader, ",")+")")
	fs.BoolVar(&in.england, "england", false, "use needs and offers drawn from real schools and inspections (see --data) instead of files")
	addDataFlag(c, &in.data)
	addLenientFlag(c, &in.lenient)
	fs.Uint64Var(&in.seed, "seed", 0, "with --england: seed of the synthetic fields")
	fs.StringVar(&in.strategy, "strategy", "optimal", "matching strategy: optimal, stable or greedy")
	fs.StringVar(&in.objective, "objective", "urgent-first", "with --strategy optimal: urgent-first (most urgent needs first, then next priority, ..., then cost) or most-needs (most needs, then cost)")
	floatFlag(c, &in.maxKm, "max-km", 50, 0, maxKm, "maximum distance between school and provider, in km")
	fs.BoolVar(&in.allowUnknown, "allow-unknown-distance", false, "let pairs whose distance is unknown (a location is unknown) pass --max-km; they are priced as 100 km")
	fs.StringVar(&in.config, "config", "", "matching configuration YAML `FILE`: strategy, objective, scorers and weights, constraints hard or as penalties (see brokerage.Config); excludes --strategy, --objective, --max-km and --allow-unknown-distance")
	in.format = addFormat(c, "table", "json", "csv")
	in.cmd = c
}

// match loads the needs and offers the flags name and matches them with the
// broker they configure.
func (in *brokerInput) match(ctx context.Context, e *env) ([]brokerage.Need, []brokerage.Offer, string, *brokerage.Result, error) {
	b, err := in.broker()
	if err != nil {
		return nil, nil, "", nil, err
	}
	needs, offers, source, err := in.load(ctx, e)
	if err != nil {
		return nil, nil, "", nil, err
	}
	stop := e.startTask(fmt.Sprintf("matching %d needs to %d offers", len(needs), len(offers)))
	r, err := b.Match(ctx, needs, offers)
	stop()
	return needs, offers, source, r, err
}

// load reads the needs and offers the flags name.
func (in *brokerInput) load(ctx context.Context, e *env) ([]brokerage.Need, []brokerage.Offer, string, error) {
	if in.england {
		if in.needs != "" || in.offers != "" {
			return nil, nil, "", usagef("--england and --needs/--offers exclude each other")
		}
		r, err := loadData(ctx, e, in.data, in.lenient)
		if err != nil {
			return nil, nil, "", err
		}
		m, err := r.Model()
		if err != nil {
			return nil, nil, "", err
		}
		needs, offers := brokerage.FromInspections(m, &brokerage.InstanceOptions{Seed: in.seed})
		return needs, offers, r.Source + " (needs and offers synthetic where not published)", nil
	}
	if in.needs == "" || in.offers == "" {
		return nil, nil, "", usagef("give --needs FILE and --offers FILE, or --england")
	}
	var needs []brokerage.Need
	var offers []brokerage.Offer
	var needsHead, offersHead []byte
	err := readFile(in.needs, maxListBytes, func(r io.Reader) (err error) {
		h := &headRecorder{r: r}
		needs, err = brokerage.ReadNeeds(h, in.needs)
		needsHead = h.buf
		return
	})
	if err != nil {
		return nil, nil, "", err
	}
	err = readFile(in.offers, maxListBytes, func(r io.Reader) (err error) {
		h := &headRecorder{r: r}
		offers, err = brokerage.ReadOffers(h, in.offers)
		offersHead = h.buf
		return
	})
	if err != nil {
		return nil, nil, "", err
	}
	in.noteDefaults(e, in.needs, needsHead, needsDefaults)
	in.noteDefaults(e, in.offers, offersHead, offersDefaults)
	return needs, offers, in.needs + " + " + in.offers, nil
}

// columnDefault is an optional column of a needs or offers file whose
// absence gives every row a value: brokerage.ReadNeeds and ReadOffers
// apply it silently, so the commands say so on standard error.
type columnDefault struct{ column, meaning string }

var (
	needsDefaults  = []columnDefault{{"days", "every need asks for 0 days of support, so no match costs anything"}}
	offersDefaults = []columnDefault{{"cost_per_day", "every offer is free (0 a day)"}}
)

// noteDefaults says on standard error which of defaults' columns the
// header of file (at the start of head) lacks, and the value used instead.
func (in *brokerInput) noteDefaults(e *env, file string, head []byte, defaults []columnDefault) {
	cr, err := csvx.NewReader(file, bytes.NewReader(head), nil)
	if err != nil {
		return // the file was read whole without error: its header is within head
	}
	for _, d := range defaults {
		if !cr.Col(d.column).Found() {
			e.notef(in.cmd, "%s: no %s column: %s (the default)", file, d.column, d.meaning)
		}
	}
}

// headRecorder passes reads through, keeping the first maxHeadBytes read:
// enough for any header the CSV reader accepts (one record is at most
// 1 MiB, decoded; UTF-16 doubles it).
type headRecorder struct {
	r   io.Reader
	buf []byte
}

const maxHeadBytes = 4 << 20

func (h *headRecorder) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if k := min(n, maxHeadBytes-len(h.buf)); k > 0 {
		h.buf = append(h.buf, p[:k]...)
	}
	return n, err
}

func readFile(name string, limit int64, read func(io.Reader) error) error {
	_, err := readWith(name, limit, func(_ string, r io.Reader) (struct{}, error) { return struct{}{}, read(r) })
	return err
}

func (in *brokerInput) broker() (*brokerage.Broker, error) {
	if in.config != "" {
		for _, f := range []string{"strategy", "objective", "max-km", "allow-unknown-distance"} {
			if in.cmd != nil && in.cmd.Flags().Changed(f) {
				return nil, usagef("--config and --%s exclude each other: set it in the configuration", f)
			}
		}
		src, err := readFileLimited(in.config, maxConfigBytes)
		if err != nil {
			return nil, err
		}
		c, err := brokerage.ParseConfig(in.config, src)
		if err != nil {
			return nil, err
		}
		opts, err := c.Options()
		if err != nil {
			return nil, err
		}
		return brokerage.NewBroker(opts...), nil
	}
	var s brokerage.Strategy
	switch in.strategy {
	case "optimal":
		var o brokerage.Objective
		if err := o.UnmarshalText([]byte(in.objective)); err != nil {
			return nil, usagef("--objective %q: want urgent-first or most-needs", in.objective)
		}
		s = brokerage.Optimal{Objective: o}
	case "stable":
		s = brokerage.Stable{}
	case "greedy":
		s = brokerage.Greedy{}
	default:
		return nil, usagef("--strategy %q: want optimal, stable or greedy", in.strategy)
	}
	if !(in.maxKm > 0) || math.IsInf(in.maxKm, 0) {
		return nil, usagef("--max-km %v: must be a positive number", in.maxKm)
	}
	return brokerage.NewBroker(brokerage.WithStrategy(s), brokerage.WithConstraints(
		brokerage.MaxDistance{Km: in.maxKm, AllowUnknown: in.allowUnknown}, brokerage.PhaseCompatible{}, brokerage.ConflictOfInterest{}, brokerage.Eligible{},
		brokerage.FormatCompatible{})), nil
}

// newBrokerMatchCmd is "fulcrum broker match".
func newBrokerMatchCmd(e *env) *cobra.Command {
	var in brokerInput
	c := &cobra.Command{
		Use:   "match",
		Short: "match schools' needs to providers' offers and explain every match and every unmet need",
		Args:  noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return brokerMatch(c.Context(), e, &in)
		},
	}
	in.register(c)
	return c
}

func brokerMatch(ctx context.Context, e *env, in *brokerInput) error {
	needs, offers, source, r, err := in.match(ctx, e)
	if err != nil {
		return err
	}
	switch in.format.value {
	case "json":
		return writeJSON(e.stdout, matchOutput{source, r})
	case "csv":
		return writeMatchCSV(e.newCSV(e.stdout), needs, offers, r)
	}
	return writeMatchTable(e.stdout, source, needs, offers, r)
}

func explain(cs []brokerage.Contribution) string {
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		switch {
		case c.Unknown:
			parts = append(parts, fmt.Sprintf("%s unknown (%.1f)", c.Scorer, c.Value))
		case c.Value != 0:
			parts = append(parts, fmt.Sprintf("%s %.1f", c.Scorer, c.Value))
		}
	}
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, " + ")
}

func indexes(needs []brokerage.Need, offers []brokerage.Offer) (map[brokerage.NeedID]*brokerage.Need, map[brokerage.OfferID]*brokerage.Offer) {
	ni := make(map[brokerage.NeedID]*brokerage.Need, len(needs))
	for i := range needs {
		ni[needs[i].ID] = &needs[i]
	}
	oi := make(map[brokerage.OfferID]*brokerage.Offer, len(offers))
	for i := range offers {
		oi[offers[i].ID] = &offers[i]
	}
	return ni, oi
}

func writeMatchTable(w io.Writer, source string, needs []brokerage.Need, offers []brokerage.Offer, r *brokerage.Result) error {
	ni, oi := indexes(needs, offers)
	fmt.Fprintf(w, "source: %s\nstrategy: %s\n\n", source, r.Strategy)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NEED\tSCHOOL\tAREA\tPRI\tPROVIDER\tDISTANCE\tCOST\tEXPLANATION")
	for _, m := range r.Matches {
		n, o := ni[m.Need], oi[m.Offer]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%.1f\t%s\n", m.Need, n.Name, n.Area, n.Priority, o.Provider, m.Distance, m.Cost, explain(m.Explanation))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Unmet) > 0 {
		fmt.Fprintln(w, "\nunmet:")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "NEED\tSCHOOL\tAREA\tPRI\tREASON\tDETAIL")
		for _, u := range r.Unmet {
			n := ni[u.Need]
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", u.Need, n.Name, n.Area, n.Priority, u.Reason, u.Detail)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "\nmet %d of %d needs; %d unmet; total cost %.1f\nwithout a location (distance unknown): %d needs, %d offers\n",
		r.Met, r.Needs, len(r.Unmet), r.TotalCost, r.NeedsWithoutLocation, r.OffersWithoutLocation)
	return err
}

func writeMatchCSV(cw *csvout.Writer, needs []brokerage.Need, offers []brokerage.Offer, r *brokerage.Result) error {
	ni, oi := indexes(needs, offers)

	cw.Write([]string{"need", "urn", "school", "area", "priority", "status", "offer", "provider", "distance_km", "cost", "explanation", "reason", "detail"})
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	for _, m := range r.Matches {
		n, o := ni[m.Need], oi[m.Offer]
		parts := make([]string, len(m.Explanation))
		for i, c := range m.Explanation {
			parts[i] = c.Scorer + "=" + f(c.Value)
			if c.Unknown {
				parts[i] += "(unknown)"
			}
		}
		km := "unknown"
		if m.Distance.Known {
			km = f(m.Distance.Value)
		}
		cw.Write([]string{string(m.Need), n.School.String(), n.Name, string(n.Area), strconv.Itoa(n.Priority), "matched",
			string(m.Offer), o.Provider, km, f(m.Cost), strings.Join(parts, ";"), "", ""})
	}
	for _, u := range r.Unmet {
		n := ni[u.Need]
		cw.Write([]string{string(u.Need), n.School.String(), n.Name, string(n.Area), strconv.Itoa(n.Priority), "unmet",
			"", "", "", "", "", u.Reason.String(), u.Detail})
	}
	cw.Flush()
	return cw.Error()
}

// newBrokerGapsCmd is "fulcrum broker gaps".
func newBrokerGapsCmd(e *env) *cobra.Command {
	var in brokerInput
	var by string
	c := &cobra.Command{
		Use:   "gaps",
		Short: "where needs go unmet, by region and area of expertise, and why",
		Args:  noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return brokerGaps(c.Context(), e, &in, by)
		},
	}
	in.register(c)
	c.Flags().StringVar(&by, "by", "region", "rows by region, area or region-area")
	return c
}

func brokerGaps(ctx context.Context, e *env, in *brokerInput, by string) error {
	needs, offers, source, r, err := in.match(ctx, e)
	if err != nil {
		return err
	}
	g := brokerage.Gaps(needs, offers, r)
	var rows []brokerage.Gap
	switch by {
	case "region":
		rows = g.ByRegion
	case "area":
		rows = g.ByArea
	case "region-area":
		rows = g.ByRegionArea
	default:
		return usagef("--by %q: want region, area or region-area", by)
	}
	switch in.format.value {
	case "json":
		return writeJSON(e.stdout, gapsOutput{source, r.Strategy, g})
	case "csv":
		cw := e.newCSV(e.stdout)
		cw.Write([]string{"region", "area", "needs", "met", "unmet", "unmet_days", "capacity", "no_provider", "excluded", "capacity_full"})
		for _, x := range rows {
			cw.Write([]string{x.Region, string(x.Area), strconv.Itoa(x.Needs), strconv.Itoa(x.Met), strconv.Itoa(x.Unmet),
				strconv.FormatFloat(x.UnmetDays, 'f', -1, 64), strconv.Itoa(x.Capacity), strconv.Itoa(x.NoProvider),
				strconv.Itoa(x.Excluded), strconv.Itoa(x.CapacityFull)})
		}
		cw.Flush()
		return cw.Error()
	}
	fmt.Fprintf(e.stdout, "source: %s\nstrategy: %s\n\n", source, r.Strategy)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REGION\tAREA\tNEEDS\tMET\tUNMET\tUNMET DAYS\tCAPACITY\tNO PROVIDER\tEXCLUDED\tFULL\t")
	for _, x := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%.0f\t%d\t%d\t%d\t%d\t\n", x.Region, x.Area, x.Needs, x.Met, x.Unmet, x.UnmetDays,
			x.Capacity, x.NoProvider, x.Excluded, x.CapacityFull)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "\n%d of %d needs unmet\nwithout a location (distance unknown): %d needs, %d offers\n",
		g.Unmet, g.Needs, g.NeedsWithoutLocation, g.OffersWithoutLocation)
	return err
}

// brokerSolve implements "fulcrum broker solve": it reads a DIMACS
// minimum-cost flow problem and prints the optimal cost and flow in the
// DIMACS solution format ("s COST", then "f SRC DST FLOW" for every arc
// with flow). The command is internal/mcfcmd, which the lean fulcrum-mcf
// runs too.
func newBrokerSolveCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "solve",
		Short: "solve a DIMACS minimum-cost flow problem",
		Args:  noArgs,
	}
	file := c.Flags().String("dimacs", "", "DIMACS min-cost flow `FILE` (p min, n and a lines); - for standard input")
	general := c.Flags().Bool("general", false, "always use the general solver, even for a bipartite assignment")
	format := addFormat(c, mcfcmd.Formats()...)
	c.RunE = func(c *cobra.Command, _ []string) error {
		return brokerSolve(c.Context(), e, *file, *general, format.value)
	}
	return c
}

func brokerSolve(ctx context.Context, e *env, file string, general bool, format string) error {
	err := mcfcmd.Run(ctx, mcfcmd.Options{File: file, General: general, Format: format}, os.Stdin, e.stdout)
	if errors.Is(err, mcfcmd.ErrUsage) {
		return usagef("%v", err)
	}
	return err
}

// brokerEngland implements "fulcrum broker england": it writes the needs
// and offers drawn from real schools and inspections as CSV files that
// "broker match" reads.
func newBrokerEnglandCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "england",
		Short: "write needs and offers drawn from real schools and inspections as CSV files",
		Args:  noArgs,
	}
	var data string
	var lenient bool
	addDataFlag(c, &data)
	addLenientFlag(c, &lenient)
	needsOut := c.Flags().String("needs-out", "needs.csv", "needs CSV `FILE` to write")
	offersOut := c.Flags().String("offers-out", "offers.csv", "offers CSV `FILE` to write")
	seed := c.Flags().Uint64("seed", 0, "seed of the synthetic fields")
	format := addFormat(c, "table", "json")
	c.RunE = func(c *cobra.Command, _ []string) error {
		return brokerEngland(c.Context(), e, data, lenient, *needsOut, *offersOut, *seed, format.value)
	}
	return c
}

// solveOutput is the JSON of "broker solve", as internal/mcfcmd writes
// it: the optimal cost and every arc with flow, nodes numbered from 1 as in
// the DIMACS file.
type solveOutput struct {
	Cost int64     `json:"cost"`
	Arcs []arcFlow `json:"arcs"`
}

type arcFlow struct {
	From int   `json:"from"`
	To   int   `json:"to"`
	Flow int64 `json:"flow"`
}

// matchOutput is the JSON of "broker match".
type matchOutput struct {
	Source string `json:"source"`
	*brokerage.Result
}

// gapsOutput is the JSON of "broker gaps".
type gapsOutput struct {
	Source   string `json:"source"`
	Strategy string `json:"strategy"`
	*brokerage.GapReport
}

// brokerEnglandOutput is the JSON of "broker england".
type brokerEnglandOutput struct {
	Source     string `json:"source"`
	NeedsFile  string `json:"needs_file"`
	Needs      int    `json:"needs"`
	OffersFile string `json:"offers_file"`
	Offers     int    `json:"offers"`
}

// brokerEngland writes the needs and offers files, both whole or neither.
func brokerEngland(ctx context.Context, e *env, data string, lenient bool, needsOut, offersOut string, seed uint64, format string) error {
	r, err := loadData(ctx, e, data, lenient)
	if err != nil {
		return err
	}
	m, err := r.Model()
	if err != nil {
		return err
	}
	needs, offers := brokerage.FromInspections(m, &brokerage.InstanceOptions{Seed: seed})
	err = atomicfile.WriteFiles(ctx, []string{needsOut, offersOut}, func(ws []io.Writer) error {
		opts := &brokerage.WriteOptions{Formulas: e.csvFormulas}
		if err := brokerage.WriteNeeds(ws[0], needs, opts); err != nil {
			return err
		}
		return brokerage.WriteOffers(ws[1], offers, opts)
	})
	if err != nil {
		return err
	}
	o := brokerEnglandOutput{Source: r.Source, NeedsFile: needsOut, Needs: len(needs), OffersFile: offersOut, Offers: len(offers)}
	if format == "json" {
		return writeJSON(e.stdout, o)
	}
	_, err = fmt.Fprintf(e.stdout, "wrote %d needs to %s and %d offers to %s from %s\n", o.Needs, o.NeedsFile, o.Offers, o.OffersFile, o.Source)
	return err
}

// maxConfigBytes bounds a matching configuration file.
const maxConfigBytes = 1 << 20
