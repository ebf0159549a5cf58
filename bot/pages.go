package bot

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/anras/parc/cards"
	"github.com/gin-gonic/gin"
)

// The app package links the bot's home, privacy and terms pages (Teams shows
// them in the app's details). They are short, served in the browser's
// language, with their words in the catalogue like everything else.

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}h1{color:#1B6A8F}nav a{margin-right:1rem}</style>
</head><body><nav><a href="/">Parc</a><a href="/confidentialite">{{.PrivacyLink}}</a><a href="/conditions">{{.TermsLink}}</a></nav>
<h1>{{.Title}}</h1>{{range .Paragraphs}}<p>{{.}}</p>{{end}}</body></html>
`))

type page struct {
	Lang, Title, PrivacyLink, TermsLink string
	Paragraphs                          []string
}

// pageHandler serves the page whose texts are under prefix ("pages.home").
func pageHandler(prefix string, paragraphs int) gin.HandlerFunc {
	return func(c *gin.Context) {
		l := cards.FR
		if al := c.GetHeader("Accept-Language"); al != "" && !strings.HasPrefix(strings.ToLower(al), "fr") {
			l = cards.LangFor(al)
		}
		p := page{Lang: string(l), Title: l.T(prefix + ".title"), PrivacyLink: l.T("pages.privacy.title"), TermsLink: l.T("pages.terms.title")}
		for i := 1; i <= paragraphs; i++ {
			p.Paragraphs = append(p.Paragraphs, l.T(prefix+".p"+string(rune('0'+i))))
		}
		c.Header("Content-Type", "text/html; charset=utf-8")
		c.Header("Content-Language", string(l))
		c.Status(http.StatusOK)
		_ = pageTemplate.Execute(c.Writer, p)
	}
}

func (b *Bot) registerPages() {
	b.Route(http.MethodGet, "/", pageHandler("pages.home", 2))
	b.Route(http.MethodGet, "/confidentialite", pageHandler("pages.privacy", 4))
	b.Route(http.MethodGet, "/conditions", pageHandler("pages.terms", 3))
}
