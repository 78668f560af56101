package partnership_test

import (
	"testing"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/partnershiptest"
)

func TestMemoryStoreConformance(t *testing.T) {
	partnershiptest.Run(t, func(*testing.T) partnership.Store { return partnership.NewMemoryStore() })
}
