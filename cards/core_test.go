package cards

import (
	"encoding/json"
	"testing"
)

// decode returns the card's JSON as generic values, as a client reads it.
func decode(t *testing.T, c Card) any {
	t.Helper()
	var doc any
	if err := json.Unmarshal(mustJSON(t, c), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// A menu item without a section gets its button but no empty title.
func TestMenuItemWithoutSection(t *testing.T) {
	items := []MenuItem{{Title: "menu.help", Verb: VerbMenu}, {Section: "menu.section.admin", Title: "menu.roles", Verb: VerbRoles}}
	buttons := 0
	walkJSON(decode(t, Menu(FR, items, nil)), func(obj map[string]any) {
		if obj["type"] == "TextBlock" && obj["text"] == "" {
			t.Errorf("empty TextBlock in the menu: %v", obj)
		}
		if obj["type"] == "Action.Execute" {
			buttons++
		}
	})
	if buttons != 2 {
		t.Errorf("menu has %d buttons, want 2", buttons)
	}
}

// On the roles card only the grant button collects the form's inputs (which
// are required): revoking and leaving for the menu must work with the form
// empty, and must not send what it holds.
func TestRolesOnlyGrantCollectsInputs(t *testing.T) {
	for _, l := range Languages {
		grants := 0
		walkJSON(decode(t, Roles(l, sampleRoleLines(), samplePeople(), "")), func(obj map[string]any) {
			if obj["type"] != "Action.Execute" {
				return
			}
			if obj["verb"] == VerbRoleGrant {
				grants++
				return
			}
			if obj["associatedInputs"] != "none" {
				t.Errorf("%s: %q (%v) collects the grant form's inputs", l, obj["title"], obj["verb"])
			}
		})
		if grants != 1 {
			t.Errorf("%s: %d grant buttons, want 1", l, grants)
		}
	}
}

// The card of an Action.ShowCard carries neither $schema nor version (the
// schema requires them only on the root card), but keeps its language.
func TestShowCardInnerCard(t *testing.T) {
	c := New(FR, Para("x"))
	c.Actions = []Action{ShowCard{Title: "t", Card: New(FR, Para("y"))}}
	var doc struct {
		Version string `json:"version"`
		Actions []struct {
			Card map[string]any `json:"card"`
		} `json:"actions"`
	}
	if err := json.Unmarshal(mustJSON(t, c), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != Version {
		t.Errorf("root version = %q", doc.Version)
	}
	inner := doc.Actions[0].Card
	for _, k := range []string{"$schema", "version"} {
		if _, ok := inner[k]; ok {
			t.Errorf("inner card has %s", k)
		}
	}
	if inner["lang"] != "fr" || inner["type"] != "AdaptiveCard" {
		t.Errorf("inner card = %v", inner)
	}
}
