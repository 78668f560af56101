package simulation_test

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/simulation"
)

func membersOf(s *simulation.Structure) map[partnership.NetworkID][]partnership.OrgID {
	out := map[partnership.NetworkID][]partnership.OrgID{}
	for _, m := range s.Memberships {
		out[m.Network] = append(out[m.Network], m.Member)
	}
	return out
}

func school(t *testing.T, w *simulation.World, id partnership.OrgID) *simulation.School {
	u, ok := partnership.SchoolOf(id)
	require.True(t, ok, id)
	i, ok := w.Index(u)
	require.True(t, ok, u)
	return &w.Schools[i]
}

func TestGenerators(t *testing.T) {
	w := simulation.Generate(simulation.GenerateOptions{Schools: 600, Seed: 5})
	t.Run("none", func(t *testing.T) {
		s, err := simulation.Build("none", w, simulation.StructureOptions{})
		require.NoError(t, err)
		require.Empty(t, s.Networks)
		require.Empty(t, s.Memberships)
	})
	t.Run("learning communities: k groups, each school in exactly one, nearest centre", func(t *testing.T) {
		s := simulation.LearningCommunities(w, simulation.StructureOptions{Communities: 20, Seed: 1})
		require.Len(t, s.Networks, 20)
		count := map[partnership.OrgID]int{}
		mem := membersOf(s)
		centre := map[partnership.NetworkID]partnership.Location{}
		for _, n := range s.Networks {
			require.Equal(t, partnership.NetworkLearningCommunity, n.Kind)
			require.Equal(t, partnership.BasisGeography, n.Basis)
			require.NotEmpty(t, mem[n.ID])
			var c partnership.Location
			for _, m := range mem[n.ID] {
				count[m]++
				c.Lat += school(t, w, m).Location.Lat
				c.Lon += school(t, w, m).Location.Lon
			}
			c.Lat /= float64(len(mem[n.ID]))
			c.Lon /= float64(len(mem[n.ID]))
			centre[n.ID] = c
		}
		require.Len(t, count, len(w.Schools))
		for _, c := range count {
			require.Equal(t, 1, c)
		}
		// Converged k-means: each school is nearest its own centre (up to
		// the projection's rounding).
		for id, ms := range mem {
			for _, m := range ms {
				l := school(t, w, m).Location
				own := l.DistanceKm(centre[id])
				for other, c := range centre {
					if other != id {
						require.LessOrEqual(t, own, l.DistanceKm(c)+0.5, "school %s", m)
					}
				}
			}
		}
	})
	t.Run("hub and spoke: outstanding hubs, spokes near and bounded", func(t *testing.T) {
		s := simulation.HubAndSpoke(w, simulation.StructureOptions{Spokes: 4, HubKm: 15})
		require.NotEmpty(t, s.Networks)
		seen := map[partnership.OrgID]bool{}
		for _, n := range s.Networks {
			var hub *simulation.School
			spokes := 0
			for _, m := range s.Memberships {
				if m.Network != n.ID {
					continue
				}
				require.False(t, seen[m.Member], "school in two hubs")
				seen[m.Member] = true
				if m.Role == partnership.RoleHub {
					hub = school(t, w, m.Member)
				} else {
					require.Equal(t, partnership.RoleSpoke, m.Role)
					spokes++
				}
			}
			require.NotNil(t, hub)
			require.Equal(t, partnership.RatingOutstanding, hub.History[0].Overall)
			require.LessOrEqual(t, spokes, 4)
			require.Positive(t, spokes)
			for _, m := range s.Memberships {
				if m.Network == n.ID && m.Role == partnership.RoleSpoke {
					require.LessOrEqual(t, school(t, w, m.Member).Location.DistanceKm(hub.Location), 15.0)
				}
			}
		}
	})
	t.Run("thematic: each school in exactly m themes, by interest", func(t *testing.T) {
		s := simulation.Thematic(w, simulation.StructureOptions{ThemesPerSchool: 2, Seed: 3})
		require.Len(t, s.Networks, 6)
		count := map[partnership.OrgID]int{}
		for _, n := range s.Networks {
			require.Equal(t, partnership.BasisInterest, n.Basis)
		}
		for _, m := range s.Memberships {
			count[m.Member]++
		}
		require.Len(t, count, len(w.Schools))
		for _, c := range count {
			require.Equal(t, 2, c)
		}
		// A school's themes do not depend on the rest of the world.
		small := simulation.Generate(simulation.GenerateOptions{Schools: 600, Seed: 5})
		small.Schools = small.Schools[:50]
		s2 := simulation.Thematic(small, simulation.StructureOptions{ThemesPerSchool: 2, Seed: 3})
		want := map[string]bool{}
		for _, m := range s.Memberships {
			want[string(m.Network)+"|"+string(m.Member)] = true
		}
		for _, m := range s2.Memberships {
			require.True(t, want[string(m.Network)+"|"+string(m.Member)])
		}
	})
	t.Run("trusts: exactly the data's trusts of two or more", func(t *testing.T) {
		s := simulation.Trusts(w)
		byTrust := map[partnership.NetworkID]int{}
		for _, sc := range w.Schools {
			if sc.Trust != "" {
				byTrust[sc.Trust]++
			}
		}
		mem := membersOf(s)
		n := 0
		for id, c := range byTrust {
			if c >= 2 {
				n++
				require.Len(t, mem[id], c)
				for _, m := range mem[id] {
					require.Equal(t, id, school(t, w, m).Trust)
				}
			}
		}
		require.Len(t, s.Networks, n)
	})
	t.Run("alliance: mixed governance, connector links every alliance", func(t *testing.T) {
		s := simulation.Alliance(w, simulation.StructureOptions{AllianceSize: 60})
		mem := membersOf(s)
		alliances, mixed := 0, 0
		var conn partnership.NetworkID
		for _, n := range s.Networks {
			switch n.Kind {
			case partnership.NetworkAlliance:
				alliances++
				govs := map[partnership.Governance]bool{}
				for _, m := range mem[n.ID] {
					govs[school(t, w, m).Gov] = true
				}
				if len(govs) > 1 {
					mixed++
				}
			case partnership.NetworkConnector:
				conn = n.ID
			}
		}
		require.InDelta(t, 10, alliances, 1)
		require.Equal(t, alliances, mixed)
		require.Len(t, mem[conn], alliances)
		for _, m := range mem[conn] {
			_, isSchool := partnership.SchoolOf(m)
			require.False(t, isSchool)
		}
	})
	t.Run("unknown", func(t *testing.T) {
		_, err := simulation.Build("hubs", w, simulation.StructureOptions{})
		require.ErrorIs(t, err, simulation.ErrNotFound)
	})
	_ = math.Inf
}

// TestFromModel: any structure built with package partnership runs: here
// the real networks of the embedded region, as its model records them.
func TestFromModel(t *testing.T) {
	w := region(t)
	s, dropped := simulation.FromModel(w, w.Model(), w.Start, "as recorded", false)
	require.NotEmpty(t, s.Networks)
	for _, n := range s.Networks {
		require.NotEqual(t, partnership.NetworkLocalAuthority, n.Kind)
	}
	t.Logf("%d networks, %d memberships, %d dropped", len(s.Networks), len(s.Memberships), dropped)
	res, err := simulation.Run(context.Background(), simulation.Config{World: w, Structure: s, Params: simulation.DefaultParams(), Terms: 3, Seed: 1})
	require.NoError(t, err)
	require.Len(t, res.Terms, 4)
	// A membership naming a school outside the world is refused.
	bad := *s
	bad.Memberships = append([]partnership.Membership{{ID: "m", Network: s.Networks[0].ID, Member: partnership.URN(1).OrgID()}}, s.Memberships...)
	_, err = simulation.Run(context.Background(), simulation.Config{World: w, Structure: &bad, Params: simulation.DefaultParams(), Terms: 1})
	require.ErrorIs(t, err, simulation.ErrInvalid)
	require.ErrorContains(t, err, `membership "m" names school 1, which is not in the world`)
}
