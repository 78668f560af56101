package partnership_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/partnershiptest"
)

func TestMemoryStoreConformance(t *testing.T) {
	partnershiptest.Run(t, func(*testing.T) partnership.Store { return partnership.NewMemoryStore() })
}

// TestMemoryStoreListWhileWriting: 200 inserts, then 8 goroutines paging
// ListSchools while others insert (the race detector checks the locking).
func TestMemoryStoreListWhileWriting(t *testing.T) {
	ctx := context.Background()
	s := partnership.NewMemoryStore()
	for i := range 200 {
		require.NoError(t, s.InsertSchool(ctx, partnership.School{URN: partnership.URN(1000 - i), Name: "S"}))
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			req := partnership.PageRequest{Limit: 7}
			for {
				pg, err := s.ListSchools(ctx, partnership.SchoolQuery{}, req)
				if !assert.NoError(t, err) || pg.Next == "" {
					return
				}
				req.After = pg.Next
			}
		}()
		go func() {
			defer wg.Done()
			for i := range 20 {
				assert.NoError(t, s.InsertSchool(ctx, partnership.School{URN: partnership.URN(2000 + w*100 + i), Name: "T"}))
			}
		}()
	}
	wg.Wait()
}
