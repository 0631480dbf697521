//go:build tools

// Package tools pins Dex's server command (a main package, so it cannot be imported for real),
// so `go mod tidy` records every module `go build github.com/dexidp/dex/cmd/dex` needs in go.sum.
package tools

import (
	_ "github.com/dexidp/dex/cmd/dex"
)
