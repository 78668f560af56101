package england

import (
	"context"
	"embed"
	"io/fs"
)

//go:generate go run ./internal/gensubset -raw ../../../shared/data/raw -out data

// EmbeddedRegion is the region whose schools LoadEmbedded loads.
const EmbeddedRegion = "Yorkshire and The Humber"

//go:embed data/*.csv.gz
var embedded embed.FS

// Attribution is the licence and attribution text that must accompany the
// embedded data, and any data derived from it, when it is published.
//
//go:embed data/LICENCE.txt
var Attribution string

// EmbeddedFS returns the embedded extracts as a file system, for reading
// with LoadFS or with other tools.
func EmbeddedFS() fs.FS {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		// fs.Sub fails only for an invalid path, and "data" is valid.
		panic(err)
	}
	return sub
}

// LoadEmbedded loads the regional subset of the England extracts built
// into the package: the schools of Yorkshire and the Humber in the January
// 2023 school census, the GIAS groups (July 2022) with members there and
// their memberships in the region, the predecessor links of those schools,
// their Ofsted judgements (2005 to early 2020) and their coordinates. It
// needs no files and no network, and the embedded files are in the same
// layouts as the published ones. The data is Crown copyright under the Open
// Government Licence v3.0; see Attribution.
func LoadEmbedded(ctx context.Context) (*Result, error) {
	r, err := LoadFS(ctx, EmbeddedFS(), nil)
	if r != nil {
		r.Source = "embedded: " + EmbeddedRegion
	}
	return r, err
}
