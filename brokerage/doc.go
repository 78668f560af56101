// Package brokerage matches schools' needs to the expertise of the whole
// system, optimally and explainably, and follows the support that results
// from proposal to the review of its impact.
//
// Brokerage is what directors of education do when they "broker support from
// within and beyond the trust", what an alliance does with its "protocols for
// sharing capacity", and what a local authority or a connector organisation
// does between networks. A [Need] is a school's request for support in one
// area of expertise (from the partnership taxonomy), with a phase, a
// priority (from a risk level, say), the days wanted, a time window and
// preferences: within or beyond the trust, a similar or contrasting context,
// a format. An [Offer] is a provider's capacity: a school, a specialist or
// executive leader, a leader of governance, a hub or an outside
// organisation, with the areas it covers and the evidence for each (an area
// of excellence validated in a peer review is stronger than a self-declared
// one), the phases it serves, its capacity in engagements, its location and
// cost, and its eligibility (open to any school whatever its trust, or only
// to the members of some networks).
//
// # Matching
//
// A [Broker] applies hard [Constraint]s that remove pairings (maximum
// distance, phase compatibility, conflicts of interest, eligibility), scores
// the pairings that remain with composable [Scorer]s (distance, strength of
// evidence, context similarity or contrast, priority, trust preference, load
// balance, price) and lets a [Strategy] choose:
//
//   - [Optimal] solves exactly, as a minimum-cost flow (package flow), for
//     its [Objective]: by default [UrgentFirst] (as many priority-5 needs
//     as possible, then priority 4, ..., then the least total cost), or
//     [MostNeeds] (as many needs as possible, then the least total cost);
//   - [Stable] finds a stable many-to-one matching (hospitals and residents)
//     for programmes where schools and providers state preferences;
//   - [Greedy] serves needs in order of priority, a transparent baseline.
//
// A [Config] (read from YAML by [ParseConfig], every error positioned)
// chooses the strategy and objective, the scorers and their weights, and
// the constraints, each hard or as a [Soft] penalty; Config.Options turns
// it into the options of NewBroker. `fulcrum broker match --config FILE`
// uses it.
//
// Unknown is not a distance. When a school's or a provider's location is
// unknown the pair's distance ([Km]) is unknown: it never satisfies
// [MaxDistance] unless MaxDistance.AllowUnknown says so, the [Distance]
// scorer prices it at its documented UnknownKm and marks the contribution
// Unknown, it prints as "unknown" and is null in JSON, and [Result] counts
// the needs and offers without a location.
//
// Every [Match] carries its explanation, each scorer's contribution to its
// cost; every [UnmetNeed] its reason: no provider covers the area, every
// provider was excluded by a constraint (naming the nearest provider
// eligible but for distance, with its distance, and the rules that exclude
// each nearer one), or the capacity went to other needs. [Gaps] aggregates unmet
// demand by region and area: where the system lacks capacity.
// [FromInspections] builds an instance from real schools and their real
// inspection outcomes.
//
// # Engagements
//
// A [Ledger] runs an [Engagement] through its life: proposed, then accepted
// or declined (with a reason), agreed (objectives and expected impact
// agreed), active, completed and impact reviewed, or cancelled on the way
// (with a reason). The store is the truth: needs and offers are stored
// first ([Ledger.PutNeeds], [Ledger.PutOffers]) and a proposal names them
// by ID; the Ledger reads the need and the offer (capacity, phases, areas)
// inside the store's atomic reservation, so a caller's stale or inflated
// copy counts for nothing. It reserves one unit of the offer's capacity
// while an engagement is open and releases it when the engagement is
// declined, cancelled or completed, and it measures time to agreement
// against a target (a plan within three months).
//
// # Errors
//
// Functions return errors wrapping [ErrInvalid] (bad needs, offers or
// engagements), [ErrNotFound], [ErrConflict] (a duplicate ID, a stale
// version, a need with an open engagement), [ErrTransition] (a status change
// the life cycle forbids) and [ErrCapacity] (the offer is fully reserved);
// check them with errors.Is. Errors in needs and offers files are
// [CSVErrors], every problem in the file at once, each a [*CSVError] naming
// file, line, column and field.
//
// # Concurrency
//
// A Broker is immutable and safe for concurrent use; so are the built-in
// scorers, constraints and strategies. A Ledger is safe for concurrent
// use, and Ledgers sharing one store are kept exact by the store's atomic
// Reserve and versioned Update; [MemoryStore] is safe for concurrent use.
//
// # Implementing a Store
//
// A [Store] keeps engagements, needs and offers: [EngagementReader] (Get,
// List), [EngagementWriter] (Reserve, an atomic reservation that reads the
// need and the offer and counts what is reserved in the same operation as
// the write; Create; Update with optimistic versions), [CatalogueReader]
// and [CatalogueWriter]. The Ledger owns validation, transitions and time;
// a store stores, loads and keeps the invariants that span records (an
// offer's capacity, one open engagement per need) atomically, so several
// processes sharing it cannot break them. Run brokeragetest.Run against
// yours; [MemoryStore] is the reference.
package brokerage
