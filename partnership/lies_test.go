package partnership_test

import (
	"testing"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/partnershiptest"
)

func TestServiceLies(t *testing.T) {
	partnershiptest.RunLies(t, func(*testing.T) partnership.Store { return partnership.NewMemoryStore() })
}
