package main

// Evaluation of rolesMapping as Epinio computes a user's roles at an OIDC request, written from
// Epinio's rules (epinio-formats.md §3.4, §3.5; internal/api/v1/middleware/authentication.go read to
// learn them): the first entry for the token's connector, every matching group's roles in mapping
// order, role ids split at ":" (id, namespace) and kept only when the server knows the id, then the
// user: created with the mapped roles (or the default role), an existing user's roles replaced when
// something is mapped, kept when nothing is (or the default role when it has none). Legacy (<= 1.10):
// the first matching group's singular role wins, "user" when none matches, and only a new user gets it.

import (
	"sort"
	"strings"

	yamlv2 "gopkg.in/yaml.v2"
)

type evalInput struct {
	RolesMapping string   `json:"rolesMapping"`
	ConnectorID  string   `json:"connectorId"`
	Groups       []string `json:"groups"`
	KnownRoles   []string `json:"knownRoles"`
	DefaultRole  string   `json:"defaultRole"`
	Semantics    string   `json:"semantics"`
	// The user Secret's roles annotation; nil when the user has no Secret yet.
	UserRoles *string `json:"userRoles"`
}

type evalResult struct {
	OK     bool     `json:"ok"`
	Error  string   `json:"error,omitempty"`
	Mapped []string `json:"mapped"`
	Roles  []string `json:"roles"`
}

// parseRoleID is Epinio's: split at every ":", the first part is the id, the second the namespace.
func parseRoleID(roleID string) (string, string) {
	parts := strings.Split(roleID, ":")
	if len(parts) > 1 {
		return parts[0], parts[1]
	}
	return parts[0], ""
}

// roleIDs keeps the known roles in Epinio's stored form ("id" or "id:namespace").
func roleIDs(roles []string, known map[string]bool) []string {
	out := []string{}
	for _, r := range roles {
		id, ns := parseRoleID(r)
		if !known[id] {
			continue
		}
		if ns != "" {
			id = id + ":" + ns
		}
		out = append(out, id)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// stored is how Epinio writes a role list: unique and sorted.
func stored(roles []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, r := range roles {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}

func evaluate(in evalInput) evalResult {
	var mappings []epinioMapping
	if err := yamlv2.Unmarshal([]byte(in.RolesMapping), &mappings); err != nil {
		return evalResult{OK: false, Error: err.Error(), Mapped: []string{}, Roles: []string{}}
	}
	known := map[string]bool{}
	for _, r := range in.KnownRoles {
		known[r] = true
	}
	var entry *epinioMapping
	for i := range mappings {
		if mappings[i].ConnectorID == in.ConnectorID {
			entry = &mappings[i]
			break
		}
	}
	var existing []string
	if in.UserRoles != nil {
		if annotation := strings.TrimSpace(*in.UserRoles); annotation != "" {
			existing = roleIDs(strings.Split(annotation, ","), known)
		}
	}
	fallback := func(roles []string) []string {
		if len(roles) == 0 && in.DefaultRole != "" {
			return []string{in.DefaultRole}
		}
		return roles
	}

	if in.Semantics == "legacy" {
		// Epinio <= 1.10 did not check the singular role against the known roles.
		role := "user"
		if entry != nil {
			for _, g := range entry.Groups {
				if contains(in.Groups, g.ID) {
					role = strings.TrimSpace(g.Role)
					break
				}
			}
		}
		mapped := []string{}
		if role != "" {
			id, _ := parseRoleID(role)
			mapped = roleIDs([]string{role}, map[string]bool{id: true})
		}
		if in.UserRoles == nil {
			return evalResult{OK: true, Mapped: stored(mapped), Roles: stored(mapped)}
		}
		return evalResult{OK: true, Mapped: stored(mapped), Roles: stored(fallback(existing))}
	}

	mappedRaw := []string{}
	if entry != nil {
		for _, g := range entry.Groups {
			if contains(in.Groups, g.ID) {
				mappedRaw = append(mappedRaw, g.Roles...)
			}
		}
	}
	mapped := roleIDs(mappedRaw, known)
	var roles []string
	switch {
	case in.UserRoles == nil:
		roles = fallback(mapped)
	case len(mapped) > 0:
		roles = mapped
	case len(existing) > 0:
		roles = existing
	default:
		roles = fallback(nil)
	}
	return evalResult{OK: true, Mapped: stored(mapped), Roles: stored(roles)}
}
