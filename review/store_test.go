package review_test

import (
	"testing"

	"github.com/fulcrum-edu/fulcrum/review"
	"github.com/fulcrum-edu/fulcrum/review/reviewtest"
)

func TestMemoryStore(t *testing.T) {
	reviewtest.Run(t, func(*testing.T) review.Store { return review.NewMemoryStore() })
}
