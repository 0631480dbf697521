//go:build tools

// Package tools pins k9s's main package (it cannot be imported for real), so `go mod tidy`
// records every module `go build github.com/derailed/k9s` needs in go.sum.
package tools

import (
	_ "github.com/derailed/k9s"
)
