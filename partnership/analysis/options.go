package analysis

import (
	"fmt"
	"math"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Options tunes the analyses. A nil *Options means the defaults, and every
// zero field means the default documented on it. Each analysis reads only
// the fields that concern it.
type Options struct {
	// At is the date the analysis looks at: only schools open, networks
	// active and memberships current on At count. The zero At counts every
	// school, network and membership whatever its dates.
	At time.Time
	// Area selects the schools analysed; the zero Area is every school.
	Area Area

	// LocalAuthorityNetworks keeps local authorities' networks of the
	// schools they maintain in the Graph (and so in Bridges and exports).
	// By default they are left out: each joins every maintained school of
	// an authority, which is maintenance rather than partnership, and would
	// swamp the networks schools choose.
	LocalAuthorityNetworks bool

	// DuplicateThreshold is the Jaccard similarity of two networks' member
	// sets at or above which Duplicates reports them (0 means 0.8; at most
	// 1, which asks for identical member sets).
	DuplicateThreshold float64
	// DuplicateAnyKind makes Duplicates compare networks of different kinds
	// too, ignoring their purposes: the same schools organised twice over,
	// such as an academy sponsor and the trust it set up. By default only
	// networks of the same kind are compared.
	DuplicateAnyKind bool

	// Top is how many of the most central organisations and networks
	// Bridges reports (0 means 20).
	Top int
	// ExactLimit is the largest connected component (in nodes) whose
	// betweenness Bridges computes exactly; larger components are sampled
	// (0 means 4000).
	ExactLimit int
	// Samples is the number of source nodes Bridges samples in a component
	// larger than ExactLimit (0 means 256).
	Samples int
	// Seed makes sampling in Bridges and community detection reproducible:
	// the same model, options and seed give the same result (0 means 1).
	Seed uint64

	// LinkRadiusKm is the distance within which Links looks for a network
	// member near an isolated school (0 means 10 km).
	LinkRadiusKm float64
	// Links is the number of links Links selects (0 means 10).
	Links int
	// LinkKinds restricts the networks Links may propose to these kinds
	// (nil means every kind of multi-school network). Proposing a trust,
	// for example, means proposing a change of governance; restricting to
	// collaborative kinds keeps to partnerships any school can join.
	LinkKinds []partnership.NetworkKind

	// Resolution is the modularity resolution γ of community detection (0
	// means 1; larger values give smaller communities).
	Resolution float64
	// ProximityKm, when positive, adds to the community projection an edge
	// between each school and its ProximityNeighbours nearest schools within
	// ProximityKm (0 means no geographic edges).
	ProximityKm float64
	// ProximityWeight is the weight of a geographic edge, against 1 per
	// shared network (0 means 0.5).
	ProximityWeight float64
	// ProximityNeighbours is how many nearest schools get a geographic edge
	// (0 means 5).
	ProximityNeighbours int
	// MaxNetworkSize leaves networks with more school members than this out
	// of the school–school projection, whose size grows with the square of a
	// network's (0 means 400).
	MaxNetworkSize int

	// FamilySize is the number of similar schools in a family (0 means 10).
	FamilySize int
}

// withDefaults returns a copy of o with zero fields set to their defaults,
// or an error wrapping partnership.ErrInvalid.
func (o *Options) withDefaults() (Options, error) {
	var c Options
	if o != nil {
		c = *o
	}
	if err := c.Area.validate(); err != nil {
		return c, err
	}
	def := func(p *int, v int, name string) error {
		if *p < 0 {
			return fmt.Errorf("%w: options: %s %d is negative", partnership.ErrInvalid, name, *p)
		}
		if *p == 0 {
			*p = v
		}
		return nil
	}
	deff := func(p *float64, v float64, name string) error {
		if !(*p >= 0) || math.IsInf(*p, 0) {
			return fmt.Errorf("%w: options: %s %g is not a non-negative number", partnership.ErrInvalid, name, *p)
		}
		if *p == 0 {
			*p = v
		}
		return nil
	}
	for _, err := range []error{
		deff(&c.DuplicateThreshold, 0.8, "DuplicateThreshold"),
		def(&c.Top, 20, "Top"),
		def(&c.ExactLimit, 4000, "ExactLimit"),
		def(&c.Samples, 256, "Samples"),
		deff(&c.LinkRadiusKm, 10, "LinkRadiusKm"),
		def(&c.Links, 10, "Links"),
		deff(&c.Resolution, 1, "Resolution"),
		deff(&c.ProximityWeight, 0.5, "ProximityWeight"),
		def(&c.ProximityNeighbours, 5, "ProximityNeighbours"),
		def(&c.MaxNetworkSize, 400, "MaxNetworkSize"),
		def(&c.FamilySize, 10, "FamilySize"),
	} {
		if err != nil {
			return c, err
		}
	}
	if c.DuplicateThreshold > 1 {
		return c, fmt.Errorf("%w: options: DuplicateThreshold %g is above 1", partnership.ErrInvalid, c.DuplicateThreshold)
	}
	if !(c.ProximityKm >= 0) || math.IsInf(c.ProximityKm, 0) {
		return c, fmt.Errorf("%w: options: ProximityKm %g is not a non-negative number", partnership.ErrInvalid, c.ProximityKm)
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	return c, nil
}
