package simulation

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// Config is one run: a world, a structure, a policy, a brokerage strategy,
// parameters, a length and a random stream.
type Config struct {
	World     *World
	Structure *Structure
	// Policy assigns risk levels every term; nil means no risk
	// assessment, so no school raises a need.
	Policy *riskpolicy.Policy
	// Strategy matches needs to offers inside each network; nil means no
	// brokerage.
	Strategy brokerage.Strategy
	Params   Params
	// Terms is how many terms to simulate (three a year).
	Terms int
	// Seed and Replicate select the random streams: runs with the same
	// seed and replicate draw the same shocks, so variants are compared on
	// common random numbers.
	Seed      uint64
	Replicate int
	// NoInterventions switches off everything partnership does: brokered
	// support, knowledge spread and learning in peer-review clusters (the
	// model Calibrate fits).
	NoInterventions bool
	// PerSchool keeps each school's state every term in Result.Schools.
	PerSchool bool
	// Inspections keeps every simulated inspection in
	// Result.Inspections.
	Inspections bool
}

// Result is what a run measured.
type Result struct {
	// Metrics names the columns of Terms.
	Metrics []string
	// Terms[t] holds the metrics after term t (Terms[0] is the start);
	// NaN where a metric is undefined (a ratio with a zero denominator).
	Terms [][]float64
	// Schools[t][i] is school i's state after term t, when
	// Config.PerSchool was set.
	Schools [][]SchoolState
	// Inspections are the simulated inspections in time order, when
	// Config.Inspections was set.
	Inspections []SimInspection
}

// SchoolState is one school's state at the end of a term.
type SchoolState struct {
	URN           partnership.URN
	Effectiveness float64
	// Level is the risk level's index (0 = the policy's first level).
	Level int
	// Rating is the overall judgement of the school's latest inspection;
	// RatingNone when it gave none (never inspected, or a real latest
	// inspection without an overall judgement), written NA in schools.csv.
	Rating partnership.Rating
}

// SimInspection is one simulated inspection.
type SimInspection struct {
	School int // index in World.Schools
	Term   int
	Rating partnership.Rating
}

// school is a school's mutable state (about 160 bytes).
type school struct {
	mu, u     float32 // long-run level and passing deviation: overall = mu + u
	d         [nAreas]float32
	obs       [nAreas]float32 // latest observed area values (inspection or peer review)
	rc        [nAreas]uint8   // latest report card, 1..5
	peer      [nAreas]uint8   // latest peer review, 1..5; 0 none
	lead      float32         // leadership capacity 0..1
	days      float32         // support days left this term
	pupils    int32
	ratings   [6]uint8 // inspections newest first: their standing 1..4; 0 none or nothing graded
	rterms    [6]int16 // term of each inspection (negative: before the start)
	next      int16    // term of the next inspection
	headTerm  int16    // term the head last left (-100: long ago)
	rollTerm  int16
	sg        uint8 // 1 met, 2 not met
	level     uint8
	levelFrom int16
	obsPeer   bool
	// graded has bit k set when inspection k gave an overall judgement
	// (every simulated one; a real one when it had one): the
	// ofsted_rating and ofsted_history indicators read only those.
	graded uint8
	// stable: the school's last evaluation left its level unchanged, so
	// while its declared values stay the same a memoisable policy gives
	// it the same level (see engine.unchanged).
	stable   bool
	peerTerm int16 // term of the latest peer review (0: none yet)
}

func (s *school) overall() float64 { return float64(s.mu + s.u) }
func (s *school) area(a int) float64 {
	return float64(s.mu + s.u + s.d[a])
}

type network struct {
	id      partnership.NetworkID
	kind    partnership.NetworkKind
	coord   partnership.OrgID
	members []int32
	area    int // thematic: the area knowledge spreads in; -1 all
}

// engine is one run's state.
type engine struct {
	cfg    *Config
	p      *Params
	w      *World
	ss     []school
	nets   []network
	conns  [][]int // connector -> member network indices
	netsOf csr     // school -> the networks it belongs to, in network order
	bp     *boundPolicy
	broker *brokerage.Broker
	start  []float64 // overall effectiveness at the start
	fifth  []int8    // start quintile: 0 bottom, 4 top, -1 middle
	rng    struct{ drift, shock, insp, peer, init *rand.Rand }
	hist   [][]snap // ring of past indicator snapshots, per school
	// levelOf memoises a policy that reads neither history nor the clock:
	// the level it gave to declared values and a previous level (nil when
	// the policy cannot be memoised).
	levelOf map[levelKey]uint8
	maxMemo int
	prev    []*riskpolicy.Assessment
	levels  []string
	buf     scratch
	// this term
	term                 int
	needs, met           int
	daysUsed             float64
	spellSum, spellCount []float64
	res                  *Result
}

// scratch is a run's working space, reused from term to term so that a
// term allocates (almost) nothing of its own; nothing in it outlives the
// step that fills it.
type scratch struct {
	mark      []uint8   // per school: taken by a peer-review cluster; area wanted + 1 and needMet
	eff, sort []float64 // per school: this term's effectiveness, and sorted
	mean      []float64 // per network and area: spread's mean
	reviewees []review.Reviewee
	idx       []int
	all       []int32
	needs     []brokerage.Need
	offers    []brokerage.Offer
	needOf    []int32 // school of each need
	offerOf   []int32 // school of each offer
	// assessment: records, the school and memo key of each, schools
	// waiting for a record with their key.
	recs    []riskpolicy.Record
	recIdx  []int
	recKey  []levelKey
	waiting [][2]int
	pending map[levelKey]int
}

// needMet marks, in scratch.mark, a school whose need was met this term.
const needMet = 0x80

// csr lists, for each of n items, a run of values: item i's are
// vals[off[i]:off[i+1]].
type csr struct {
	off  []int32
	vals []int32
}

func (c *csr) of(i int) []int32 { return c.vals[c.off[i]:c.off[i+1]] }

// levelKey is what a memoisable policy's level depends on: the declared
// values (a masked snap) and the previous level (none at the first term),
// packed without loss into 24 bytes.
type levelKey [4]uint64

func keyOf(m *snap, prev uint8, first bool) levelKey {
	var k levelKey
	for a := range nAreas {
		k[0] |= uint64(m.rc[a])<<(3*a) | uint64(m.peer[a])<<(18+3*a)
	}
	k[0] |= uint64(m.rating)<<36 | uint64(m.sg)<<39 | uint64(m.flags)<<41 | uint64(prev)<<44
	if first {
		k[0] |= 1 << 52
	}
	k[1] = uint64(uint16(m.termsSince)) | uint64(uint16(m.inspTerm))<<16 | uint64(uint32(m.pupils))<<32
	k[2] = uint64(math.Float32bits(m.att)) | uint64(math.Float32bits(m.attain))<<32
	k[3] = math.Float64bits(m.fsm)
	return k
}

// snap is one school's indicator values for one term, compactly.
type snap struct {
	rating, sg    uint8
	rc, peer      [nAreas]uint8
	att, attain   float32
	fsm           float64 // the school's FSM share; -1 when unknown (imputed in the latent model only)
	flags         uint8   // 1 head_new, 2 head_absent, 4 falling_roll
	termsSince    int16
	inspTerm      int16
	pupils        int32
	historyUpTerm int16
}

// stream returns an independent generator for one process of one
// replicate: PCG seeded by splitmix64 of the seed, replicate and stream.
func stream(seed uint64, replicate int, id uint64) *rand.Rand {
	x := seed ^ (uint64(replicate)+1)*0x9e3779b97f4a7c15
	return rand.New(rand.NewPCG(splitmix(x), splitmix(x^id*0xbf58476d1ce4e5b9)))
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Run simulates one run. It returns an error wrapping ErrInvalid when the
// parameters, structure or policy are unusable, or ctx's error when ctx
// ends first. Run is deterministic: the same Config gives the same Result,
// bit for bit, whatever else runs at the same time.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	e, err := newEngine(&cfg)
	if err != nil {
		return nil, err
	}
	e.record()
	for t := 1; t <= cfg.Terms; t++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := e.step(ctx, t); err != nil {
			return nil, err
		}
	}
	return e.res, nil
}

func newEngine(cfg *Config) (*engine, error) {
	if cfg.World == nil || len(cfg.World.Schools) == 0 {
		return nil, fmt.Errorf("simulation: %w: no world", ErrInvalid)
	}
	if err := cfg.Params.Validate(); err != nil {
		return nil, fmt.Errorf("simulation: parameters: %w", err)
	}
	if cfg.Terms < 0 || cfg.Terms > 300 {
		return nil, fmt.Errorf("simulation: %w: terms %d is outside 0..300", ErrInvalid, cfg.Terms)
	}
	e := &engine{cfg: cfg, p: &cfg.Params, w: cfg.World, ss: make([]school, len(cfg.World.Schools)), res: &Result{}}
	if cfg.Structure == nil {
		cfg.Structure = None()
	}
	if err := e.compileStructure(); err != nil {
		return nil, err
	}
	if cfg.Policy != nil {
		bp, err := bindPolicy(cfg.Policy)
		if err != nil {
			return nil, err
		}
		e.bp = bp
		for _, l := range cfg.Policy.Levels() {
			e.levels = append(e.levels, l.Name)
		}
		e.prev = make([]*riskpolicy.Assessment, len(e.levels))
		for i, l := range e.levels {
			e.prev[i] = &riskpolicy.Assessment{Policy: cfg.Policy.Name(), Level: l}
		}
		if needsHistory(cfg.Policy) {
			e.hist = make([][]snap, len(e.ss))
		} else if !readsClock(cfg.Policy) {
			e.levelOf = map[levelKey]uint8{}
			e.maxMemo = max(4096, len(e.ss)/2)
		}
	}
	if cfg.Strategy != nil {
		e.broker = brokerage.NewBroker(brokerage.WithStrategy(cfg.Strategy),
			brokerage.WithConstraints(brokerage.PhaseCompatible{}, brokerage.MaxDistance{Km: cfg.Params.MaxDistanceKm}))
	}
	e.spellSum = make([]float64, len(e.levels))
	e.spellCount = make([]float64, len(e.levels))
	e.rng.drift = stream(cfg.Seed, cfg.Replicate, 1)
	e.rng.shock = stream(cfg.Seed, cfg.Replicate, 2)
	e.rng.insp = stream(cfg.Seed, cfg.Replicate, 3)
	e.rng.peer = stream(cfg.Seed, cfg.Replicate, 4)
	e.rng.init = stream(cfg.Seed, cfg.Replicate, 5)
	e.initialise()
	e.res.Metrics = e.metricNames()
	return e, nil
}

func (e *engine) compileStructure() error {
	st := e.cfg.Structure
	byID := map[partnership.NetworkID]int{}
	var errs []string
	for _, n := range st.Networks {
		if _, dup := byID[n.ID]; dup || n.ID == "" {
			errs = append(errs, fmt.Sprintf("network %q is empty or appears twice", n.ID))
			continue
		}
		byID[n.ID] = len(e.nets)
		nw := network{id: n.ID, kind: n.Kind, coord: n.Coordinator, area: -1}
		if a, ok := strings.CutPrefix(string(n.ID), "theme:"); ok && n.Kind == partnership.NetworkThematic {
			i := slices.IndexFunc(themes, func(t partnership.EvaluationArea) bool { return t.String() == a })
			if i < 0 {
				errs = append(errs, fmt.Sprintf("thematic network %q names no evaluation area the model simulates", n.ID))
			}
			nw.area = i
		}
		e.nets = append(e.nets, nw)
	}
	orgs := map[partnership.OrgID]bool{}
	for _, o := range st.Organisations {
		orgs[o.ID] = true
	}
	coordOf := map[partnership.OrgID][]int{}
	for k, n := range e.nets {
		if n.coord != "" {
			coordOf[n.coord] = append(coordOf[n.coord], k)
		}
	}
	connMembers := map[int][]int{}
	for _, m := range st.Memberships {
		k, ok := byID[m.Network]
		if !ok {
			errs = append(errs, fmt.Sprintf("membership %q names unknown network %q", m.ID, m.Network))
			continue
		}
		if u, isSchool := partnership.SchoolOf(m.Member); isSchool {
			i, ok := e.w.Index(u)
			if !ok {
				errs = append(errs, fmt.Sprintf("membership %q names school %d, which is not in the world", m.ID, u))
				continue
			}
			e.nets[k].members = append(e.nets[k].members, int32(i))
			continue
		}
		if e.nets[k].kind != partnership.NetworkConnector {
			errs = append(errs, fmt.Sprintf("membership %q: organisation %q is a member of %q, which is not a connector network (only schools take part in other networks)", m.ID, m.Member, m.Network))
			continue
		}
		if !orgs[m.Member] || len(coordOf[m.Member]) == 0 {
			errs = append(errs, fmt.Sprintf("membership %q: connector member %q leads no network of the structure", m.ID, m.Member))
			continue
		}
		connMembers[k] = append(connMembers[k], coordOf[m.Member]...)
	}
	count := make([]int32, len(e.ss)+1)
	for k := range e.nets {
		slices.Sort(e.nets[k].members)
		e.nets[k].members = slices.Compact(e.nets[k].members)
		if ms, ok := connMembers[k]; ok {
			slices.Sort(ms)
			e.conns = append(e.conns, slices.Compact(ms))
		}
		for _, m := range e.nets[k].members {
			count[m+1]++
		}
	}
	for i := range e.ss {
		count[i+1] += count[i]
	}
	e.netsOf = csr{off: count, vals: make([]int32, count[len(e.ss)])}
	fill := slices.Clone(count[:len(e.ss)])
	for k := range e.nets {
		for _, m := range e.nets[k].members {
			e.netsOf.vals[fill[m]] = int32(k)
			fill[m]++
		}
	}
	if len(errs) > 0 {
		if len(errs) > 10 {
			errs = append(errs[:10], fmt.Sprintf("and %d more", len(errs)-10))
		}
		return fmt.Errorf("simulation: structure %s: %w: %s", st.Name, ErrInvalid, strings.Join(errs, "; "))
	}
	return nil
}

// cut returns the rating of an observed overall effectiveness.
func (p *Params) cut(v float64) uint8 {
	switch {
	case v >= p.CutOutstanding:
		return 1
	case v >= p.CutGood:
		return 2
	case v >= p.CutInadequate:
		return 3
	}
	return 4
}

// cardGrade returns the report-card grade (1 exceptional .. 5 urgent
// improvement) of an observed area value: exceptional above the
// outstanding cut, strong standard above the midpoint of the good and
// outstanding cuts, expected standard above the good cut, needs attention
// above the inadequate cut, urgent improvement below it.
func (p *Params) cardGrade(v float64) uint8 {
	switch {
	case v >= p.CutOutstanding:
		return 1
	case v >= (p.CutGood+p.CutOutstanding)/2:
		return 2
	case v >= p.CutGood:
		return 3
	case v >= p.CutInadequate:
		return 4
	}
	return 5
}

func (p *Params) interval(r uint8) float64 {
	switch r {
	case 1:
		return p.IntervalOutst
	case 2:
		return p.IntervalGood
	case 3:
		return p.IntervalRI
	}
	return p.IntervalInad
}

// longRun is the mean of a school's long-run level given its context.
func (p *Params) longRun(s *School) float64 { return p.FSMEffect * (s.FSMPercent - NationalFSM) / 10 }

func (e *engine) initialise() {
	p, r := e.p, e.rng.init
	w := p.SchoolEffect
	termsPerMonth := 1.0 / 4
	e.start = make([]float64, len(e.ss))
	for i := range e.ss {
		sc, s := &e.w.Schools[i], &e.ss[i]
		m := p.longRun(sc)
		// Overall effectiveness conditional on the latest inspection's
		// standing (Standing), by rejection: draw, observe with the
		// inspector's error, keep the first draw the standing admits.
		var E float64
		var best, worst uint8
		if len(sc.History) > 0 {
			b, w := Standing(&sc.History[0])
			best, worst = uint8(b), uint8(w)
		}
		for k := 0; k < 500; k++ {
			E = m + r.NormFloat64()
			if best == 0 {
				break
			}
			if c := p.cut(E + p.InspectionNoise*r.NormFloat64()); c >= best && c <= worst {
				break
			}
		}
		mu := m + w*(E-m) + math.Sqrt(w*(1-w))*r.NormFloat64()
		s.mu, s.u = float32(mu), float32(E-mu)
		for a := range nAreas {
			s.d[a] = float32(p.AreaSpread * r.NormFloat64())
		}
		s.pupils = int32(sc.Pupils)
		s.headTerm, s.rollTerm = -100, -100
		s.sg = 1
		for k := range sc.History {
			in := &sc.History[k]
			s.ratings[k] = standing(in)
			if in.Overall != partnership.RatingNone {
				s.graded |= 1 << k
			}
			months := float64(e.w.Start.Year()-in.Date.Year())*12 + float64(int(e.w.Start.Month())-int(in.Date.Month()))
			s.rterms[k] = int16(-math.Round(months * termsPerMonth))
		}
		// The report card and observations the school starts with: its
		// areas as an inspection would have seen them.
		for a := range nAreas {
			o := s.area(a) + p.InspectionNoise*r.NormFloat64()
			s.obs[a], s.rc[a] = float32(o), p.cardGrade(o)
		}
		// A latest inspection that was a report card gives its own grades
		// and safeguarding outcome.
		if len(sc.History) > 0 {
			in := &sc.History[0]
			for _, ag := range in.Areas {
				if a := int(ag.Area) - int(partnership.AreaInclusion); a >= 0 && a < nAreas && ag.Grade >= partnership.GradeExceptional && ag.Grade <= partnership.GradeUrgentImprovement {
					s.rc[a] = uint8(ag.Grade)
				}
			}
			if in.Safeguarding == partnership.SafeguardingNotMet {
				s.sg = 2
			}
		}
		s.lead = float32(capacityOf(s.area(5)))
		// Next inspection: the interval after the latest judgement from
		// its date; an overdue school is inspected within a year.
		if s.ratings[0] == 0 {
			s.next = int16(1 + r.IntN(3))
		} else {
			due := float64(s.rterms[0]) + e.drawInterval(s.ratings[0], r)
			if due < 1 {
				due = float64(1 + r.IntN(3))
			}
			s.next = int16(due)
		}
		e.start[i] = s.overall()
	}
	e.fifth = quintiles(e.start)
}

func capacityOf(leadership float64) float64 { return 0.5 * (1 + math.Erf(leadership/math.Sqrt2)) }

func (e *engine) drawInterval(r uint8, g *rand.Rand) float64 {
	mean := e.p.interval(r)
	v := mean * (1 + e.p.IntervalJitter*(2*g.Float64()-1))
	// Stochastic rounding keeps the mean interval exact in whole terms.
	f := math.Floor(v)
	if g.Float64() < v-f {
		f++
	}
	return max(1, f)
}

// quintiles marks the bottom (0) and top (4) fifths of v; others are -1.
func quintiles(v []float64) []int8 {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Or(cmp.Compare(v[a], v[b]), cmp.Compare(a, b)) })
	out := make([]int8, len(v))
	n := len(v) / 5
	for k, i := range idx {
		switch {
		case k < n:
			out[i] = 0
		case k >= len(v)-n:
			out[i] = 4
		default:
			out[i] = -1
		}
	}
	return out
}

func (e *engine) step(ctx context.Context, t int) error {
	e.term = t
	e.needs, e.met, e.daysUsed = 0, 0, 0
	e.drift(t)
	if t%3 == 1 && len(e.nets) > 0 {
		if err := e.peerReviews(ctx, t); err != nil {
			return err
		}
	}
	e.inspect(t)
	if e.bp != nil {
		if err := e.assess(ctx, t); err != nil {
			return err
		}
	}
	if !e.cfg.NoInterventions {
		if e.broker != nil && e.bp != nil {
			if err := e.brokerage(ctx, t); err != nil {
				return err
			}
		}
		e.spread()
	}
	e.record()
	return nil
}

// drift applies shocks and the latent dynamics.
func (e *engine) drift(t int) {
	p := e.p
	rho, rhoA := p.Persistence, p.AreaPersistence
	sdU := math.Sqrt((1 - rho*rho) * (1 - p.SchoolEffect))
	sdA := math.Sqrt(1-rhoA*rhoA) * p.AreaSpread
	g, sh := e.rng.drift, e.rng.shock
	for i := range e.ss {
		s := &e.ss[i]
		u := rho*float64(s.u) + sdU*g.NormFloat64()
		switch s.ratings[0] {
		case 3:
			u += p.ResponseRI
		case 4:
			u += p.ResponseInad
		}
		if sh.Float64() < p.HeadDeparture {
			u -= p.HeadEffect
			s.lead *= 0.5
			s.headTerm = int16(t)
		}
		if sh.Float64() < p.RollFall {
			u -= p.RollEffect
			s.pupils = int32(math.Round(float64(s.pupils) * 0.9))
			s.rollTerm = int16(t)
		}
		s.u = float32(u)
		for a := range nAreas {
			s.d[a] = float32(rhoA*float64(s.d[a]) + sdA*g.NormFloat64())
		}
		target := capacityOf(s.area(5))
		s.lead = float32(float64(s.lead) + p.CapacityRecovery*(target-float64(s.lead)))
		s.days = float32(p.SupplyDays * float64(s.lead))
	}
}

func (e *engine) inspect(t int) {
	p, g := e.p, e.rng.insp
	for i := range e.ss {
		s := &e.ss[i]
		if int(s.next) > t {
			continue
		}
		r := p.cut(s.overall() + p.InspectionNoise*g.NormFloat64())
		copy(s.ratings[1:], s.ratings[:5])
		copy(s.rterms[1:], s.rterms[:5])
		s.ratings[0], s.rterms[0] = r, int16(t)
		s.graded = (s.graded<<1 | 1) & (1<<len(s.ratings) - 1)
		for a := range nAreas {
			o := s.area(a) + p.InspectionNoise*g.NormFloat64()
			s.rc[a], s.obs[a] = p.cardGrade(o), float32(o)
		}
		s.sg = 1
		if s.area(5) < p.SafeguardingCut {
			s.sg = 2
		}
		s.obsPeer = false
		s.next = int16(t + int(e.drawInterval(r, g)))
		if e.cfg.Inspections {
			e.res.Inspections = append(e.res.Inspections, SimInspection{School: i, Term: t, Rating: partnership.Rating(r)})
		}
	}
}

// peerReviews forms the year's peer-review clusters with review.Clusters,
// inside each network, from the members that take part (each school in
// the first network that takes it); each cluster member's areas are
// observed with the peer-review error and, with interventions on, each
// area closes cluster_learning of its gap to the cluster's best.
func (e *engine) peerReviews(ctx context.Context, t int) error {
	p, g := e.p, e.rng.peer
	taken := e.marks()
	rules := review.DefaultClusterRules()
	rules.Size = int(p.ClusterSize)
	rules.MaxSize = min(7, rules.Size+1)
	for _, n := range e.nets {
		if n.kind == partnership.NetworkConnector {
			continue
		}
		rs := e.buf.reviewees[:0]
		for _, m := range n.members {
			if taken[m] != 0 || g.Float64() >= p.PeerShare {
				continue
			}
			sc := &e.w.Schools[m]
			if !sc.Location.Known() {
				continue
			}
			rs = append(rs, review.Reviewee{URN: sc.URN, Phase: sc.Phase, LA: sc.LA, Location: sc.Location,
				Pupils: sc.Pupils, FSMPercent: sc.reportedFSM()})
		}
		e.buf.reviewees = rs
		if len(rs) < 3 {
			continue
		}
		rules.ExcludeSameTrust = false
		cl, err := review.Clusters(ctx, rs, rules)
		if err != nil {
			return fmt.Errorf("simulation: peer review clusters in %s: %w", n.id, err)
		}
		for _, c := range cl.Clusters {
			idx := e.buf.idx[:0]
			for _, u := range c.Schools {
				i, _ := e.w.Index(u)
				idx = append(idx, i)
				taken[i] = 1
			}
			e.buf.idx = idx
			for _, i := range idx {
				s := &e.ss[i]
				for a := range nAreas {
					o := s.area(a) + p.PeerNoise*g.NormFloat64()
					s.obs[a], s.peer[a] = float32(o), p.cardGrade(o)
				}
				s.obsPeer, s.peerTerm = true, int16(t)
			}
			if e.cfg.NoInterventions {
				continue
			}
			for a := range nAreas {
				best := math.Inf(-1)
				for _, i := range idx {
					best = max(best, e.ss[i].area(a))
				}
				for _, i := range idx {
					s := &e.ss[i]
					if gap := best - s.area(a); gap > 0 {
						s.d[a] += float32(p.ClusterLearning * gap)
					}
				}
			}
		}
	}
	return nil
}

// spread moves each area of each member of a network towards the
// network's mean, when below it, by spread_rate of the gap (thematic
// networks in their own area only; connector networks link networks, not
// schools, and spread nothing directly). Deltas are computed from the
// term's state before any is applied, so network order does not matter.
func (e *engine) spread() {
	p := e.p
	if p.SpreadRate == 0 || len(e.nets) == 0 {
		return
	}
	// Every network's mean first, then each school's areas from its own
	// networks in network order: the same sums, in the same order, as
	// accumulating every network's deltas before applying any.
	mean := grow(e.buf.mean, len(e.nets)*nAreas)
	e.buf.mean = mean
	for k, n := range e.nets {
		if n.kind == partnership.NetworkConnector || len(n.members) < 2 {
			continue
		}
		for a := range nAreas {
			if n.area >= 0 && a != n.area {
				continue
			}
			m := 0.0
			for _, i := range n.members {
				m += e.ss[i].area(a)
			}
			mean[k*nAreas+a] = m / float64(len(n.members))
		}
	}
	for i := range e.ss {
		s := &e.ss[i]
		var delta [nAreas]float32
		for _, k := range e.netsOf.of(i) {
			n := &e.nets[k]
			if n.kind == partnership.NetworkConnector || len(n.members) < 2 {
				continue
			}
			for a := range nAreas {
				if n.area >= 0 && a != n.area {
					continue
				}
				if gap := mean[int(k)*nAreas+a] - s.area(a); gap > 0 {
					delta[a] += float32(p.SpreadRate * gap)
				}
			}
		}
		for a := range nAreas {
			s.d[a] += delta[a]
		}
	}
}

// grow returns s resized to n elements, reusing its array when large
// enough (the contents are not cleared).
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// marks returns the per-school marks, cleared.
func (e *engine) marks() []uint8 {
	e.buf.mark = grow(e.buf.mark, len(e.ss))
	clear(e.buf.mark)
	return e.buf.mark
}

func (e *engine) termDate(t int) time.Time {
	return e.w.Start.AddDate(0, 4*t, 0)
}

// snapshot returns school i's indicator values this term.
func (e *engine) snapshot(i, t int) snap {
	p, s, sc := e.p, &e.ss[i], &e.w.Schools[i]
	sn := snap{sg: s.sg, rc: s.rc, peer: s.peer, pupils: s.pupils, fsm: sc.FSMPercent, historyUpTerm: int16(t)}
	if s.graded&1 != 0 {
		sn.rating = s.ratings[0]
	}
	if sc.FSMImputed {
		sn.fsm = -1
	}
	sn.att = float32(min(100, max(0, p.Attendance+p.AttendanceSlope*s.area(3))))
	sn.attain = float32(min(100, max(0, p.Attainment+p.AttainmentSlope*s.area(2)-0.3*(sc.FSMPercent-NationalFSM))))
	if t-int(s.headTerm) < 3 {
		sn.flags |= 1
	}
	if int(s.headTerm) == t {
		sn.flags |= 2
	}
	if t-int(s.rollTerm) < 3 {
		sn.flags |= 4
	}
	sn.termsSince = int16(t - int(s.rterms[0]))
	sn.inspTerm = s.rterms[0]
	return sn
}

func (e *engine) values(i int, sn *snap) map[string]riskpolicy.Value {
	b, s := e.bp, &e.ss[i]
	out := make(map[string]riskpolicy.Value, len(b.inds))
	for k, ind := range b.inds {
		var v riskpolicy.Value
		switch ind {
		case indRating:
			if sn.rating > 0 {
				v = riskpolicy.Text(b.grades[k][sn.rating-1])
			}
		case indHistory:
			var l []riskpolicy.Value
			for j, r := range s.ratings {
				if r > 0 && s.graded&(1<<j) != 0 && s.rterms[j] <= sn.historyUpTerm {
					l = append(l, riskpolicy.Text(b.grades[k][r-1]))
				}
			}
			if len(l) > 0 {
				v = riskpolicy.List(l...)
			}
		case indReportCard, indPeerReview:
			src := sn.rc
			if ind == indPeerReview {
				src = sn.peer
			}
			m := make(map[string]riskpolicy.Value, nAreas+len(b.unsim[k]))
			for a, key := range b.areas[k] {
				if key != "" && src[a] > 0 {
					m[key] = riskpolicy.Text(b.grades[k][src[a]-1])
				}
			}
			if len(m) > 0 {
				// The areas the model never grades, missing by name, as a
				// school without early years is: the same values, found at
				// once.
				for _, key := range b.unsim[k] {
					m[key] = riskpolicy.Value{}
				}
				v = riskpolicy.Areas(m)
			}
		case indSafeguarding:
			v = riskpolicy.Text(b.grades[k][sn.sg-1])
		case indAttendance:
			v = riskpolicy.Number(float64(sn.att) * b.scale[k])
		case indAttainment:
			v = riskpolicy.Number(float64(sn.attain) * b.scale[k])
		case indFSM:
			// Unknown in the data: missing, whatever the latent model
			// imputed.
			if sn.fsm >= 0 {
				v = riskpolicy.Number(sn.fsm * b.scale[k])
			}
		case indPupils:
			if sn.pupils > 0 {
				v = riskpolicy.Number(float64(sn.pupils))
			}
		case indHeadNew:
			v = riskpolicy.Bool(sn.flags&1 != 0)
		case indHeadAbsent:
			v = riskpolicy.Bool(sn.flags&2 != 0)
		case indFallingRoll:
			v = riskpolicy.Bool(sn.flags&4 != 0)
		case indTermsSince:
			v = riskpolicy.Number(float64(sn.termsSince))
		}
		if !v.IsMissing() {
			out[b.names[k]] = v
		}
	}
	return out
}

// needsHistory reports whether any of p's conditions can look at an
// earlier period: a rule, entry or exit that must hold for more than one
// period, or a condition that reads history. A policy that cannot is
// given this term's values alone (with each school's previous level), which
// gives the same levels at a fraction of the cost.
func needsHistory(p *riskpolicy.Policy) bool {
	if p.History() <= 1 {
		return false
	}
	for _, r := range p.Rules() {
		if r.For > 1 || strings.Contains(r.When, "history") || strings.Contains(r.Near, "history") {
			return true
		}
	}
	for _, l := range p.Levels() {
		if l.EntryFor > 1 || l.ExitFor > 1 || strings.Contains(l.Entry, "history") || strings.Contains(l.Exit, "history") {
			return true
		}
	}
	return false
}

// assess evaluates the policy for every school, with the policy's history
// of earlier terms and each school's previous level. A policy that reads
// neither history nor the clock gives the same level to the same declared
// values and previous level, so such a policy is evaluated once per
// distinct pair (memoised in levelOf, within a bound), and every school
// with that pair takes the level.
func (e *engine) assess(ctx context.Context, t int) error {
	pol := e.cfg.Policy
	h := pol.History()
	b := &e.buf
	b.recs, b.recIdx, b.recKey, b.waiting = b.recs[:0], b.recIdx[:0], b.recKey[:0], b.waiting[:0]
	if e.levelOf != nil && b.pending == nil {
		b.pending = map[levelKey]int{}
	}
	defer b.shrink()
	var prev map[partnership.URN]*riskpolicy.Assessment
	at := e.termDate(t)
	for i := range e.ss {
		if e.levelOf != nil && e.ss[i].stable && e.unchanged(i, t) {
			continue
		}
		sn := e.snapshot(i, t)
		var lk levelKey
		if e.levelOf != nil {
			m := e.bp.mask(sn)
			lk = keyOf(&m, e.ss[i].level, t == 1)
			if l, ok := e.levelOf[lk]; ok {
				e.setLevel(i, t, l)
				continue
			}
			if k, ok := b.pending[lk]; ok {
				b.waiting = append(b.waiting, [2]int{i, k})
				continue
			}
			b.pending[lk] = len(b.recs)
		}
		u := e.w.Schools[i].URN
		n := 1
		if e.hist != nil {
			n += len(e.hist[i])
		}
		rec := riskpolicy.Record{URN: u, Periods: make([]riskpolicy.Snapshot, n)}
		rec.Periods[0] = riskpolicy.Snapshot{At: at, Values: e.values(i, &sn)}
		for k := 1; k < n; k++ {
			old := &e.hist[i][k-1]
			rec.Periods[k] = riskpolicy.Snapshot{At: e.termDate(int(old.historyUpTerm)), Values: e.values(i, old)}
		}
		if e.hist != nil {
			hs := e.hist[i]
			if len(hs) < h-1 {
				hs = append(hs, snap{})
			}
			copy(hs[1:], hs[:len(hs)-1])
			hs[0] = sn
			e.hist[i] = hs
		}
		if t > 1 {
			if prev == nil {
				prev = map[partnership.URN]*riskpolicy.Assessment{}
			}
			prev[u] = e.prev[e.ss[i].level]
		}
		b.recs = append(b.recs, rec)
		b.recIdx = append(b.recIdx, i)
		b.recKey = append(b.recKey, lk)
	}
	if len(b.recs) == 0 {
		return nil
	}
	batch, err := pol.Bind(b.recs)
	if err != nil {
		return fmt.Errorf("simulation: term %d: %w", t, err)
	}
	as, err := pol.EvaluateBatch(ctx, batch, &riskpolicy.EvalOptions{At: at, Previous: prev, Brief: true})
	if err != nil {
		return fmt.Errorf("simulation: term %d: %w", t, err)
	}
	if err := undetermined(pol, t, as, b.waiting); err != nil {
		return err
	}
	for k, a := range as {
		l := uint8(a.LevelIndex())
		if e.levelOf != nil && len(e.levelOf) < e.maxMemo {
			e.levelOf[b.recKey[k]] = l
		}
		e.setLevel(b.recIdx[k], t, l)
	}
	for _, w := range b.waiting {
		e.setLevel(w[0], t, uint8(as[w[1]].LevelIndex()))
	}
	return nil
}

// undetermined fails term t when the policy could not decide the level of
// some school (a condition that could have placed it higher needs a value
// the model has not produced, and the policy says missing data leaves the
// level undetermined). Such a level is only a lower bound; grading it at
// that bound would read unknown as fine, so the run stops, as risk eval
// exits non-zero. waiting are the schools that took an assessment of as
// (school, index in as). The error counts the term's undetermined schools
// and names the first.
func undetermined(pol *riskpolicy.Policy, t int, as []*riskpolicy.Assessment, waiting [][2]int) error {
	n, first := 0, -1
	for k, a := range as {
		if a.IsUndetermined() {
			n++
			if first < 0 {
				first = k
			}
		}
	}
	if n == 0 {
		return nil
	}
	for _, w := range waiting {
		if as[w[1]].IsUndetermined() {
			n++
		}
	}
	a := as[first]
	why := a.Undetermined[0].Condition
	if m := a.Undetermined[0].Missing; len(m) > 0 {
		why += " needs " + strings.Join(m, ", ")
	} else if a.Undetermined[0].Err != "" {
		why += ": " + a.Undetermined[0].Err
	}
	return fmt.Errorf("simulation: term %d: %w: policy %s could not decide the level of %d school(s) (for example URN %d, at least %s: %s); "+
		"declare missing: skip where an absent value should not count, or read only values the model produces for every school",
		t, ErrInvalid, pol.Name(), n, a.URN, a.Level, why)
}

// unchanged reports whether school i's values of the indicators the policy
// declares are those of term t-1, from the events that change them: an
// inspection (rating, report card, safeguarding, the inspection's term) or
// a peer review this term, a falling roll (pupils) this term, a head
// leaving or a roll falling in the last three terms (the flags). A policy
// declaring an indicator that moves every term (attendance, attainment,
// terms since inspection) never has unchanged values.
func (e *engine) unchanged(i, t int) bool {
	s, b := &e.ss[i], e.bp
	switch {
	case t == 1 || b.volatile:
		return false
	case int(s.rterms[0]) == t || int(s.peerTerm) == t || int(s.rollTerm) == t:
		return false
	case b.flags && (t-int(s.headTerm) <= 3 || t-int(s.rollTerm) <= 3):
		return false
	}
	return true
}

// shrink empties the assessment's buffers, dropping any that a large term
// (the first, when every school is new) grew beyond what later terms need.
func (b *scratch) shrink() {
	const keep = 256
	if cap(b.recs) > keep {
		b.recs, b.recIdx, b.recKey = nil, nil, nil
	}
	clear(b.recs)
	if cap(b.waiting) > 4*keep {
		b.waiting = nil
	}
	if len(b.pending) > keep {
		b.pending = nil
	} else {
		clear(b.pending)
	}
}

// setLevel gives school i level l in term t, ending its spell at the
// previous level when l differs.
func (e *engine) setLevel(i, t int, l uint8) {
	s := &e.ss[i]
	s.stable = t > 1 && l == s.level
	if t == 1 {
		s.level, s.levelFrom = l, 0
		return
	}
	if l != s.level {
		e.spellSum[s.level] += float64(t - int(s.levelFrom))
		e.spellCount[s.level]++
		s.level, s.levelFrom = l, int16(t)
	}
}

// mask keeps the parts of a snapshot that feed the indicators the policy
// declares, so equal masks give equal values.
func (b *boundPolicy) mask(sn snap) snap {
	var m snap
	for _, ind := range b.inds {
		switch ind {
		case indRating:
			m.rating = sn.rating
		case indHistory:
			m.rating, m.inspTerm = sn.rating, sn.inspTerm
		case indReportCard:
			m.rc = sn.rc
		case indPeerReview:
			m.peer = sn.peer
		case indSafeguarding:
			m.sg = sn.sg
		case indAttendance:
			m.att = sn.att
		case indAttainment:
			m.attain = sn.attain
		case indPupils:
			m.pupils = sn.pupils
		case indFSM:
			m.fsm = sn.fsm
		case indHeadNew:
			m.flags |= sn.flags & 1
		case indHeadAbsent:
			m.flags |= sn.flags & 2
		case indFallingRoll:
			m.flags |= sn.flags & 4
		case indTermsSince:
			m.termsSince = sn.termsSince
		}
	}
	return m
}

// readsClock reports whether any of p's conditions reads the time of the
// assessment ("now"), so that equal values can give different levels.
func readsClock(p *riskpolicy.Policy) bool {
	var conds []string
	for _, r := range p.Rules() {
		conds = append(conds, r.When, r.Near)
	}
	for _, l := range p.Levels() {
		conds = append(conds, l.Entry, l.Exit)
	}
	for _, c := range conds {
		for _, f := range strings.FieldsFunc(c, func(r rune) bool {
			return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		}) {
			if f == "now" {
				return true
			}
		}
	}
	return false
}

// areaExpertise maps the model's areas to the expertise of
// partnership.DefaultTaxonomy that brokerage matches on.
var areaExpertise = [nAreas]partnership.ExpertiseID{"inclusion", "curriculum", "assessment", "behaviour", "personal-development", "leadership"}

// brokerage raises a need for every school above the policy's first level
// (in its weakest observed area, priority from its level) and an offer
// from every school with support days left (in each area it is observed
// above offer_threshold), matches them inside each network with the
// strategy, then across the networks each connector links, and applies
// the engagements.
func (e *engine) brokerage(ctx context.Context, t int) error {
	mark := e.marks() // area wanted + 1 (0: no need), | needMet
	for i := range e.ss {
		s := &e.ss[i]
		if s.level == 0 {
			continue
		}
		a := 0
		for k := 1; k < nAreas; k++ {
			if s.obs[k] < s.obs[a] {
				a = k
			}
		}
		mark[i] = uint8(a + 1)
		e.needs++
	}
	if e.needs == 0 {
		return nil
	}
	for _, n := range e.nets {
		if n.kind == partnership.NetworkConnector {
			continue
		}
		if err := e.match(ctx, t, n.members); err != nil {
			return err
		}
	}
	for _, c := range e.conns {
		all := e.buf.all[:0]
		for _, k := range c {
			all = append(all, e.nets[k].members...)
		}
		slices.Sort(all)
		e.buf.all = all
		if err := e.match(ctx, t, slices.Compact(all)); err != nil {
			return err
		}
	}
	return nil
}

// match brokers the unmet needs and the offers of members with the
// strategy and applies the engagements.
func (e *engine) match(ctx context.Context, t int, members []int32) error {
	p, mark := e.p, e.buf.mark
	nl := max(1, len(e.levels)-1)
	needs, offers := e.buf.needs[:0], e.buf.offers[:0]
	needOf, offerOf := e.buf.needOf[:0], e.buf.offerOf[:0]
	var covered, wanted uint8 // areas offered and wanted, as bits
	for _, m := range members {
		i := int(m)
		s, sc := &e.ss[i], &e.w.Schools[i]
		if w := mark[i]; w > 0 && w&needMet == 0 {
			needs = append(needs, brokerage.Need{ID: brokerage.NeedID(e.w.ids[i]), School: sc.URN, Area: areaExpertise[w-1],
				Phase: sc.Phase, Priority: 1 + (int(s.level)*4+nl-1)/nl, Days: p.NeedDays, Location: sc.Location, FSMPercent: sc.reportedFSM()})
			needOf = append(needOf, m)
			wanted |= 1 << (w - 1)
		}
		if c := int(float64(s.days) / p.NeedDays); c > 0 && s.level == 0 {
			var areas uint8
			for a := range nAreas {
				if float64(s.obs[a]) > p.OfferThreshold {
					areas |= 1 << a
				}
			}
			if areas != 0 {
				ev := 0
				if s.obsPeer {
					ev = 1
				}
				offers = append(offers, brokerage.Offer{ID: brokerage.OfferID(e.w.ids[i]), School: sc.URN, Provider: sc.Name,
					Kind: brokerage.ProviderSchool, Areas: offerAreas[ev][areas], Phases: phasesOf(sc.Phase), Capacity: c, Location: sc.Location,
					FSMPercent: sc.reportedFSM()})
				offerOf = append(offerOf, m)
				covered |= areas
			}
		}
	}
	e.buf.needs, e.buf.offers, e.buf.needOf, e.buf.offerOf = needs, offers, needOf, offerOf
	// No offer in the area of any need: the broker could match nothing.
	if covered&wanted == 0 {
		return nil
	}
	// The broker's problem and its strategy's choice: the matches
	// Broker.Match makes, without the explanations of each match and unmet
	// need that the model does not read.
	pr, err := e.broker.Problem(ctx, needs, offers)
	if err != nil {
		return fmt.Errorf("simulation: term %d: brokerage: %w", t, err)
	}
	if !slices.ContainsFunc(pr.Candidates, func(c []brokerage.Candidate) bool { return len(c) > 0 }) {
		return nil // every need without a candidate: the strategy leaves all unmet
	}
	choice, err := e.cfg.Strategy.Match(ctx, pr)
	if err != nil {
		return fmt.Errorf("simulation: term %d: brokerage: strategy %s: %w", t, e.cfg.Strategy.Name(), err)
	}
	if len(choice) != len(needs) {
		return fmt.Errorf("simulation: term %d: brokerage: strategy %s returned %d choices for %d needs", t, e.cfg.Strategy.Name(), len(choice), len(needs))
	}
	for n, k := range choice {
		if k < 0 {
			continue
		}
		if k >= len(pr.Candidates[n]) {
			return fmt.Errorf("simulation: term %d: brokerage: strategy %s chose candidate %d of %d", t, e.cfg.Strategy.Name(), k, len(pr.Candidates[n]))
		}
		i, j := int(e.buf.needOf[n]), int(e.buf.offerOf[pr.Candidates[n][k].Offer])
		e.engage(i, j, int(mark[i]&^needMet)-1)
		mark[i] |= needMet
	}
	return nil
}

// offerAreas[ev][set] lists the areas of set (a bit per model area) with
// evidence from inspection (ev 0) or peer review (1), in area order:
// read-only, shared by every run.
var offerAreas = func() (out [2][1 << nAreas][]brokerage.AreaEvidence) {
	for ev, evidence := range []brokerage.Evidence{brokerage.EvidenceInspection, brokerage.EvidencePeerReview} {
		for set := 1; set < 1<<nAreas; set++ {
			for a := range nAreas {
				if set&(1<<a) != 0 {
					out[ev][set] = append(out[ev][set], brokerage.AreaEvidence{Area: areaExpertise[a], Evidence: evidence})
				}
			}
		}
	}
	return out
}()

// phaseLists[ph] is the one-phase list of each phase, shared read-only.
var phaseLists = func() (out [partnership.PhaseAlternativeProvision + 1][]partnership.Phase) {
	for ph := range out {
		out[ph] = []partnership.Phase{partnership.Phase(ph)}
	}
	return out
}()

func phasesOf(ph partnership.Phase) []partnership.Phase {
	if ph == partnership.PhaseUnknown {
		return nil
	}
	if ph > 0 && int(ph) < len(phaseLists) {
		return phaseLists[ph][:1:1]
	}
	return []partnership.Phase{ph}
}

// engage applies one engagement: supporter j gives need_days to school i
// in area a. The supported area rises by support_effect per day times the
// fit of their contexts (exp(-|FSM difference| / fit_scale)), the
// supporter's strength in the area (its lead over the supported school,
// at most 2 sd) and the supported school's leadership capacity; the
// supporter loses the days and supporter_cost per day.
func (e *engine) engage(i, j, a int) {
	p := e.p
	si, sj := &e.ss[i], &e.ss[j]
	fit := math.Exp(-math.Abs(e.w.Schools[i].FSMPercent-e.w.Schools[j].FSMPercent) / p.FitScale)
	strength := min(2, max(0, sj.area(a)-si.area(a)))
	gain := p.SupportEffect * p.NeedDays * fit * strength * float64(si.lead)
	si.d[a] += float32(gain * (1 - p.SupportSpill))
	si.u += float32(gain * p.SupportSpill)
	sj.days -= float32(p.NeedDays)
	sj.u -= float32(p.SupporterCost * p.NeedDays)
	e.met++
	e.daysUsed += p.NeedDays
}

// StateBytes returns the bytes a run keeps per school of w beyond the
// shared world and structure: the school's state, its start and quintile,
// the run's list of each school's networks (4 bytes, plus 4 per
// membership, not counted here), and its working space per school (this
// term's effectiveness and its sorted copy, a mark). A policy that reads
// history keeps a ring of its earlier terms, policy.History()-1
// snapshots, not counted here; a memoised policy keeps at most
// max(1024, schools/8) levels it has evaluated (under 8 bytes per school
// for a large world), not counted here either.
// Allocations made and dropped within a term are not counted.
func StateBytes(w *World) int {
	return int(unsafe.Sizeof(school{})) + 8 + 1 + 4 + 8 + 8 + 1
}
