// Command checker is the reference the TypeScript is tested against: it parses what our code
// writes with the libraries the real consumers use, so a test passes only if Epinio and Dex would
// accept the bytes, not merely our own parser.
//
//	stdin:  {"rolesMapping"?: string, "bcrypt"?: [{"hash","password"}], "dexConfig"?: string,
//	         "evaluate"?: [{"rolesMapping","connectorId","groups","knownRoles","defaultRole","semantics","userRoles"?}]}
//	stdout: {"rolesMapping"?: {...}, "bcrypt"?: [...], "dexConfig"?: {...}, "evaluate"?: [{"ok","error"?,"mapped","roles"}]}
//
// Every check reports failures as data (ok=false plus the library's own error text); the exit
// code is non-zero only when the input itself cannot be read.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/dexidp/dex/server"
	"github.com/ghodss/yaml"
	"golang.org/x/crypto/bcrypt"
	yamlv2 "gopkg.in/yaml.v2"
)

type input struct {
	RolesMapping *string `json:"rolesMapping"`
	Bcrypt       []struct {
		Hash     string `json:"hash"`
		Password string `json:"password"`
	} `json:"bcrypt"`
	DexConfig *string     `json:"dexConfig"`
	Evaluate  []evalInput `json:"evaluate"`
}

type output struct {
	RolesMapping *mappingResult `json:"rolesMapping,omitempty"`
	Bcrypt       []bcryptResult `json:"bcrypt,omitempty"`
	DexConfig    *dexResult     `json:"dexConfig,omitempty"`
	Evaluate     []evalResult   `json:"evaluate,omitempty"`
}

// Epinio's own types (internal/auth: DexRolesMapping / DexGroup), with the same yaml tags. The
// legacy singular `role` is still declared there, parsed but ignored since v1.11.
type epinioGroup struct {
	ID    string   `yaml:"id"`
	Roles []string `yaml:"roles"`
	Role  string   `yaml:"role"`
}

type epinioMapping struct {
	ConnectorID string        `yaml:"connectorId"`
	Groups      []epinioGroup `yaml:"groups"`
}

type mappingGroupOut struct {
	ID    string   `json:"id"`
	Roles []string `json:"roles"`
	Role  string   `json:"role"`
}

type mappingEntryOut struct {
	ConnectorID string            `json:"connectorId"`
	Groups      []mappingGroupOut `json:"groups"`
}

type mappingResult struct {
	OK      bool              `json:"ok"`
	Error   string            `json:"error,omitempty"`
	Entries []mappingEntryOut `json:"entries,omitempty"`
}

type bcryptResult struct {
	OK    bool   `json:"ok"`
	Cost  int    `json:"cost,omitempty"`
	Error string `json:"error,omitempty"`
}

type connectorResult struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

type dexResult struct {
	OK         bool              `json:"ok"`
	Error      string            `json:"error,omitempty"`
	Connectors []connectorResult `json:"connectors"`
}

func checkRolesMapping(text string) *mappingResult {
	// Exactly Epinio's call: yaml.v2 Unmarshal of the Secret value into a slice of its structs.
	var mappings []epinioMapping
	if err := yamlv2.Unmarshal([]byte(text), &mappings); err != nil {
		return &mappingResult{OK: false, Error: err.Error()}
	}
	entries := make([]mappingEntryOut, 0, len(mappings))
	for _, m := range mappings {
		groups := make([]mappingGroupOut, 0, len(m.Groups))
		for _, g := range m.Groups {
			roles := g.Roles
			if roles == nil {
				roles = []string{}
			}
			groups = append(groups, mappingGroupOut{ID: g.ID, Roles: roles, Role: g.Role})
		}
		entries = append(entries, mappingEntryOut{ConnectorID: m.ConnectorID, Groups: groups})
	}
	return &mappingResult{OK: true, Entries: entries}
}

func checkBcrypt(hash, password string) bcryptResult {
	// Cost first: it reports malformed hashes (bad prefix, short) with the library's own error.
	cost, err := bcrypt.Cost([]byte(hash))
	if err != nil {
		return bcryptResult{OK: false, Error: err.Error()}
	}
	if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)); err != nil {
		return bcryptResult{OK: false, Cost: cost, Error: err.Error()}
	}
	return bcryptResult{OK: true, Cost: cost}
}

// Types whose Open() makes network calls (discovery, token endpoints); a local checker cannot
// reproduce their startup, so for them only the decode into Dex's struct is checked.
var networkAtOpen = map[string]bool{"oidc": true, "google": true, "openshift": true}

func checkDexConfig(text string) *dexResult {
	res := &dexResult{Connectors: []connectorResult{}}
	// Dex: ghodss/yaml.YAMLToJSON (yaml.v2 underneath, YAML 1.1), then encoding/json.
	jsonData, err := yaml.YAMLToJSON([]byte(text))
	if err != nil {
		res.Error = fmt.Sprintf("error parse config file: %v", err)
		return res
	}
	var top struct {
		Issuer           string            `json:"issuer"`
		EnablePasswordDB bool              `json:"enablePasswordDB"`
		StaticPasswords  []json.RawMessage `json:"staticPasswords"`
		Connectors       []json.RawMessage `json:"connectors"`
	}
	if err := json.Unmarshal(jsonData, &top); err != nil {
		res.Error = fmt.Sprintf("error unmarshaling JSON: %v", err)
		return res
	}
	var problems []string
	if top.Issuer == "" {
		problems = append(problems, "no issuer specified in config file")
	}
	if !top.EnablePasswordDB && len(top.StaticPasswords) != 0 {
		problems = append(problems, "cannot specify static passwords without enabling password db")
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	allOK := true
	for _, raw := range top.Connectors {
		// The same steps as Dex's cmd/dex Connector.UnmarshalJSON, then the entry validation and
		// each connector's startup check (Open). Env expansion ($VAR) is not emulated.
		var conn struct {
			Type   string          `json:"type"`
			Name   string          `json:"name"`
			ID     string          `json:"id"`
			Config json.RawMessage `json:"config"`
		}
		r := connectorResult{OK: true}
		if err := json.Unmarshal(raw, &conn); err != nil {
			r.OK, r.Error = false, fmt.Sprintf("parse connector: %v", err)
			res.Connectors = append(res.Connectors, r)
			allOK = false
			continue
		}
		r.ID, r.Type = conn.ID, conn.Type
		f, known := server.ConnectorsConfig[conn.Type]
		switch {
		case !known:
			r.OK, r.Error = false, fmt.Sprintf("unknown connector type %q", conn.Type)
		case conn.ID == "" || conn.Type == "" || conn.Name == "":
			r.OK, r.Error = false, "ID, Type and Name fields are required for a connector"
		default:
			cfg := f()
			if len(conn.Config) != 0 {
				if err := json.Unmarshal(conn.Config, cfg); err != nil {
					r.OK, r.Error = false, fmt.Sprintf("parse connector config: %v", err)
					break
				}
			}
			if !networkAtOpen[conn.Type] {
				if _, err := cfg.Open(conn.ID, logger); err != nil {
					r.OK, r.Error = false, fmt.Sprintf("failed to open connector %s: %v", conn.ID, err)
				}
			}
		}
		if !r.OK {
			allOK = false
		}
		res.Connectors = append(res.Connectors, r)
	}
	if len(problems) > 0 {
		res.Error = problems[0]
		for _, p := range problems[1:] {
			res.Error += "; " + p
		}
		return res
	}
	res.OK = allOK
	if !allOK {
		res.Error = "one or more connectors failed"
	}
	return res
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintf(os.Stderr, "checker: reading input JSON: %v\n", err)
		os.Exit(2)
	}
	var out output
	if in.RolesMapping != nil {
		out.RolesMapping = checkRolesMapping(*in.RolesMapping)
	}
	for _, b := range in.Bcrypt {
		out.Bcrypt = append(out.Bcrypt, checkBcrypt(b.Hash, b.Password))
	}
	if in.DexConfig != nil {
		out.DexConfig = checkDexConfig(*in.DexConfig)
	}
	for _, e := range in.Evaluate {
		out.Evaluate = append(out.Evaluate, evaluate(e))
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(os.Stderr, "checker: writing output: %v\n", err)
		os.Exit(2)
	}
}
