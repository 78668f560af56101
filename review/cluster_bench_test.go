package review_test

import (
	"context"
	"testing"

	"github.com/fulcrum-edu/fulcrum/review"
)

// BenchmarkClustersEngland forms triads of every open state-funded school
// in England (the embedded region without shared/data/raw).
func BenchmarkClustersEngland(b *testing.B) {
	schools := englandSchoolsFor(b)
	var c *review.Clustering
	for b.Loop() {
		var err error
		if c, err = review.Clusters(context.Background(), schools, review.DefaultClusterRules()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(c.Clusters)), "clusters")
	b.ReportMetric(float64(len(c.Unclustered)), "unclustered")
}
