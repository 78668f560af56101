// Package analysis computes what the source documents ask of a healthy
// school partnership, on a partnership.Model: whether an area's partnerships
// include all its schools whatever their governance, which schools and
// practitioners work without peers, which networks duplicate one another,
// which organisations bridge otherwise separate networks and which new links
// would join the most isolated schools, the natural communities schools fall
// into, and families of similar schools for benchmarking.
//
// # Concepts
//
// Every analysis looks at a model on one date (Options.At: schools open,
// networks active and memberships current then) and for one Area: a local
// authority (InLA, InLANamed), a region (InRegion), a radius around a point
// (Within) or everywhere (the zero Area).
//
// A collaborative network is one of a kind for which
// partnership.NetworkKind.Collaborative holds: an alliance, hub, learning
// community, thematic network, cluster, community of practice, programme
// cohort or connector, as opposed to a school's own trust, federation,
// sponsor or local authority. It covers a school when it also holds someone
// from outside the school's own trusts and federations. A multi-school network is a network of any
// kind but a local authority's with two or more open schools as current
// members; a school in none works alone. On data that records only
// governance, such as the GIAS extracts for England, there are no
// collaborative networks and coverage by them is nil; CoverageReport keeps
// both measures so that the honest answer and the meaningful one sit side by
// side.
//
// The partnership graph (Graph) is bipartite: schools and other member
// organisations on one side, networks on the other, an edge per current
// membership. A connector organisation, which in the documents' words
// creates connections between networks rather than adding nodes to them,
// shows in it as a cut vertex (Articulations) or a node of high betweenness
// (Betweenness). Natural communities (Communities) come from Louvain
// modularity maximisation on the school–school projection of the graph;
// families (Families) from a standardised distance over headcount, FSM
// percentage and rurality within a phase. Each result type documents its
// definitions exactly.
//
// The graph exports to GraphML (WriteGraphML), which Gephi and networkx open,
// and to Graphviz DOT (WriteDOT).
//
// # Scale
//
// Every analysis handles all of England (about 24,000 schools and 7,000
// networks) in seconds; the package's benchmarks measure each one on the
// published extracts. Betweenness is exact in components up to
// Options.ExactLimit nodes and sampled, from a fixed number of sources with a
// seeded generator, in larger ones. Results are deterministic for a given
// model, options and seed.
//
// # Errors
//
// Analyses fail only on invalid Options (a negative count, a radius that is
// not a number, an empty area name), with an error wrapping
// partnership.ErrInvalid, and, for the long-running ones that take a
// context, with the context's error when it is done.
//
// # Concurrency
//
// Analyses only read the model, which is safe for concurrent use, so any
// number may run at once. A Graph is read-only once built.
package analysis
