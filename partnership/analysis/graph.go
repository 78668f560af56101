package analysis

import (
	"fmt"

	"gonum.org/v1/gonum/graph/simple"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// NodeKind says what a node of a Graph stands for.
type NodeKind int

// Kinds of node.
const (
	// NodeSchool is a school.
	NodeSchool NodeKind = iota + 1
	// NodeOrganisation is an organisation other than a school that is a
	// member of a network (a trust, a university, a connector).
	NodeOrganisation
	// NodeNetwork is a network.
	NodeNetwork
)

var nodeKinds = [...]string{"", "school", "organisation", "network"}

// String returns "school", "organisation" or "network".
func (k NodeKind) String() string {
	if k < NodeSchool || k > NodeNetwork {
		return fmt.Sprintf("NodeKind(%d)", int(k))
	}
	return nodeKinds[k]
}

// MarshalText implements encoding.TextMarshaler.
func (k NodeKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Node is a node of a Graph: a school, a member organisation or a network.
// Fields that do not apply to the node's Kind are zero.
type Node struct {
	// ID is the node's index in Graph.Nodes, also its gonum node ID.
	ID   int64    `json:"id"`
	Kind NodeKind `json:"kind"`
	// Org is the member's organisation ID (URN.OrgID for a school).
	Org partnership.OrgID `json:"org,omitempty"`
	// Network is the network's ID.
	Network partnership.NetworkID `json:"network,omitempty"`
	Name    string                `json:"name"`
	// School details.
	URN        partnership.URN        `json:"urn,omitempty"`
	Phase      partnership.Phase      `json:"phase,omitempty"`
	Governance partnership.Governance `json:"governance,omitempty"`
	LA         int                    `json:"la,omitempty"`
	LAName     string                 `json:"la_name,omitempty"`
	// OrgKind is an organisation's kind, NetworkKind a network's.
	OrgKind     partnership.OrgKind     `json:"org_kind,omitempty"`
	NetworkKind partnership.NetworkKind `json:"network_kind,omitempty"`
}

// Edge is a membership: a school or organisation (From) belonging to a
// network (To) in a role.
type Edge struct {
	From int64                  `json:"from"`
	To   int64                  `json:"to"`
	Role partnership.MemberRole `json:"role"`
}

// Graph is the bipartite school–network graph of a model on one date: a
// node for every open school in the area (members of no network included,
// as isolated nodes), for every network with a current school member in the
// area (local authorities' networks only with
// Options.LocalAuthorityNetworks), for every other organisation that is a
// current member of one of those networks, and for every network with no
// school members that has such an organisation as a member (a connector's
// network of alliances, hubs and universities; followed until no more join);
// an edge for each current membership between them (one per
// member and network, with the role of the first membership in dataset
// order). Schools outside the area are left out, so a network appears with
// its members in the area only.
//
// A Graph is read-only and safe for concurrent use.
type Graph struct {
	nodes []Node
	edges []Edge
	// adj is the adjacency in compressed form: the neighbours of node i
	// are nbr[off[i]:off[i+1]].
	off []int32
	nbr []int32
}

// NewGraph builds the school–network graph of m on opts.At for opts.Area
// (see Graph). It fails only on invalid options, with an error wrapping
// partnership.ErrInvalid.
func NewGraph(m *partnership.Model, opts *Options) (*Graph, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	return newGraph(newView(m, o.At, o.Area), o.LocalAuthorityNetworks), nil
}

func newGraph(v *view, withLA bool) *Graph {
	g := &Graph{}
	idOf := map[partnership.OrgID]int64{}
	for _, s := range v.schools {
		id := int64(len(g.nodes))
		g.nodes = append(g.nodes, Node{ID: id, Kind: NodeSchool, Org: s.URN.OrgID(), Name: s.Name, URN: s.URN,
			Phase: s.Phase, Governance: s.Governance, LA: s.LA, LAName: s.LAName})
		idOf[s.URN.OrgID()] = id
	}
	// A network joins the graph when a school member is in the area, or,
	// for a network of organisations such as a connector's (which adds no
	// schools, only links), when a member organisation is already in the
	// graph through another network. The second rule is applied until
	// nothing more joins, so a network of connectors is found too.
	included := make([]bool, len(v.nets))
	for k := range v.nets {
		vn := &v.nets[k]
		if vn.n.Kind == partnership.NetworkLocalAuthority && !withLA {
			continue
		}
		for _, u := range vn.schools {
			if v.inArea[u] {
				included[k] = true
				break
			}
		}
	}
	addNetwork := func(vn *viewNet) {
		nid := int64(len(g.nodes))
		g.nodes = append(g.nodes, Node{ID: nid, Kind: NodeNetwork, Network: vn.n.ID, Name: vn.n.Name, NetworkKind: vn.n.Kind})
		seen := map[int64]bool{}
		for _, ms := range vn.members {
			id, ok := idOf[ms.Member]
			if !ok {
				if _, school := partnership.SchoolOf(ms.Member); school {
					continue // outside the area or closed
				}
				org := v.m.Organisation(ms.Member)
				if org == nil {
					continue
				}
				id = int64(len(g.nodes))
				g.nodes = append(g.nodes, Node{ID: id, Kind: NodeOrganisation, Org: org.ID, Name: org.Name, OrgKind: org.Kind})
				idOf[ms.Member] = id
			}
			if seen[id] {
				continue
			}
			seen[id] = true
			g.edges = append(g.edges, Edge{From: id, To: nid, Role: ms.Role})
		}
	}
	for k := range v.nets {
		if included[k] {
			addNetwork(&v.nets[k])
		}
	}
	for grew := true; grew; {
		grew = false
		for k := range v.nets {
			vn := &v.nets[k]
			if included[k] || len(vn.schools) > 0 || (vn.n.Kind == partnership.NetworkLocalAuthority && !withLA) {
				continue
			}
			for _, ms := range vn.members {
				if _, ok := idOf[ms.Member]; ok {
					included[k], grew = true, true
					addNetwork(vn)
					break
				}
			}
		}
	}
	g.off = make([]int32, len(g.nodes)+1)
	for _, e := range g.edges {
		g.off[e.From+1]++
		g.off[e.To+1]++
	}
	for i := 1; i < len(g.off); i++ {
		g.off[i] += g.off[i-1]
	}
	g.nbr = make([]int32, 2*len(g.edges))
	fill := make([]int32, len(g.nodes))
	copy(fill, g.off)
	for _, e := range g.edges {
		g.nbr[fill[e.From]] = int32(e.To)
		fill[e.From]++
		g.nbr[fill[e.To]] = int32(e.From)
		fill[e.To]++
	}
	return g
}

// Nodes returns the graph's nodes, node i having ID i. Do not modify the
// slice.
func (g *Graph) Nodes() []Node { return g.nodes }

// Edges returns the graph's edges, grouped by network. Do not modify the
// slice.
func (g *Graph) Edges() []Edge { return g.edges }

// Neighbours returns the IDs of the nodes joined to node id: a member's
// networks, or a network's members. Do not modify the slice.
func (g *Graph) Neighbours(id int64) []int32 {
	if id < 0 || id >= int64(len(g.nodes)) {
		return nil
	}
	return g.nbr[g.off[id]:g.off[id+1]]
}

// Undirected returns a copy of the graph as a gonum simple.UndirectedGraph
// with the same node IDs, for running other gonum algorithms on it.
func (g *Graph) Undirected() *simple.UndirectedGraph {
	u := simple.NewUndirectedGraph()
	for _, n := range g.nodes {
		u.AddNode(simple.Node(n.ID))
	}
	for _, e := range g.edges {
		u.SetEdge(simple.Edge{F: simple.Node(e.From), T: simple.Node(e.To)})
	}
	return u
}

func (g *Graph) degree(i int) int { return int(g.off[i+1] - g.off[i]) }
