package england_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/internal/rawdata"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

// TestServiceImportsEveryLoad: Service.Import accepts what Load gives, on
// the embedded region (through the BulkLoader and record by record, as for
// a Store without BulkLoader) and on all of England (through the
// BulkLoader).
func TestServiceImportsEveryLoad(t *testing.T) {
	ctx := context.Background()
	loads := map[string]func() (*england.Result, error){
		"embedded": func() (*england.Result, error) { return england.LoadEmbedded(ctx) },
	}
	if dir := rawdata.Dir(t); dir != "" {
		loads["England"] = func() (*england.Result, error) { return england.Load(ctx, dir, nil) }
	}
	for name, load := range loads {
		t.Run(name, func(t *testing.T) {
			r, err := load()
			require.NoError(t, err)
			stores := []partnership.Store{partnership.NewMemoryStore()}
			if name == "embedded" { // record by record is slow under -race on all of England
				stores = append(stores, recordByRecord{partnership.NewMemoryStore()})
			}
			for _, store := range stores {
				s := partnership.NewService(store, nil)
				require.NoError(t, s.Import(ctx, &r.Dataset))
				got, err := s.School(ctx, r.Dataset.Schools[0].URN)
				require.NoError(t, err)
				assert.Equal(t, r.Dataset.Schools[0].Name, got.Name)
			}
		})
	}
}

// recordByRecord hides the MemoryStore's BulkLoader.
type recordByRecord struct{ partnership.Store }
