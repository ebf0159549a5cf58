package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/anras/parc/bot/auth"
	"github.com/gin-gonic/gin"
	msauth "github.com/infracloudio/msbotbuilder-go/connector/auth"
	"github.com/infracloudio/msbotbuilder-go/schema"
)

// Activity types the bot handles; anything else is acknowledged and ignored.
const (
	typeInstallationUpdate = "installationUpdate"
	invokeAdaptiveCard     = "adaptiveCard/action"
)

var handledTypes = map[schema.ActivityTypes]bool{
	schema.Message: true, schema.Invoke: true, schema.ConversationUpdate: true, typeInstallationUpdate: true,
}

// errNotActivity is a body that is JSON but not an activity.
var errNotActivity = errors.New("not a Bot Framework activity")

// parseActivity decodes a request body. It returns errNotActivity (or a
// JSON error) for a body that is not an activity, and handled=false for an
// activity type Parc does not handle (those are acknowledged, not refused,
// even when their shape is unusual).
func parseActivity(body []byte) (act schema.Activity, handled bool, err error) {
	var head struct {
		Type *string `json:"type"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return act, false, err
	}
	if head.Type == nil || *head.Type == "" {
		return act, false, errNotActivity
	}
	handled = handledTypes[schema.ActivityTypes(*head.Type)]
	if err := json.Unmarshal(body, &act); err != nil {
		if !handled {
			act.Type = schema.ActivityTypes(*head.Type)
			return act, false, nil
		}
		return act, true, err
	}
	if handled && (act.ServiceURL == "" || act.Conversation.ID == "") {
		return act, true, errNotActivity
	}
	return act, handled, nil
}

// messages is POST /api/messages.
func (b *Bot) messages(c *gin.Context) {
	start := time.Now()
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, b.cfg.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			c.AbortWithStatusJSON(http.StatusRequestEntityTooLarge, gin.H{"error": "body too large"})
			return
		}
		c.AbortWithStatusJSON(http.StatusBadRequest, gin.H{"error": "unreadable body"})
		return
	}
	act, handled, err := parseActivity(bytes.TrimSpace(body))
	if err != nil {
		b.log.Info("refused request: not an activity", "err", err, "remote", c.ClientIP())
		c.AbortWithStatusJSON(http.StatusBadRequest, gin.H{"error": "not an activity"})
		return
	}
	log := b.log.With("activity_id", act.ID, "activity_type", string(act.Type),
		"conversation", act.Conversation.ID, "user", act.From.AadObjectID)

	ctx := c.Request.Context()
	creds := msauth.SimpleCredentialProvider{AppID: b.cfg.AppID}
	if _, err := b.auth.AuthenticateRequest(ctx, act, c.GetHeader("Authorization"), creds, ""); err != nil {
		if errors.Is(err, auth.ErrForbidden) {
			log.Warn("refused activity: tenant not allowed", "err", err)
			c.AbortWithStatusJSON(http.StatusForbidden, gin.H{"error": "forbidden"})
			return
		}
		log.Warn("refused activity: authentication failed", "err", err, "remote", c.ClientIP())
		c.AbortWithStatusJSON(http.StatusUnauthorized, gin.H{"error": "unauthorized"})
		return
	}
	if !handled {
		log.Info("ignored activity type")
		c.Status(http.StatusOK)
		return
	}
	status, resp := b.serve(ctx, act, log)
	if resp != nil {
		c.JSON(status, resp)
	} else {
		c.Status(status)
	}
	log.Debug("turn done", "status", status, "ms", time.Since(start).Milliseconds())
}

// serve handles an authenticated activity once, and returns the HTTP status
// and body (only invokes have one).
func (b *Bot) serve(ctx context.Context, act schema.Activity, log *slog.Logger) (int, any) {
	if act.ID != "" {
		first, err := b.store.FirstDelivery(ctx, act.Conversation.ID+"|"+act.ID, b.clock.Now(), b.cfg.DedupWindow)
		if err != nil {
			log.Error("activity log unavailable", "err", err)
			return http.StatusServiceUnavailable, nil
		}
		if !first {
			log.Info("redelivered activity ignored")
			if act.Type == schema.Invoke {
				return http.StatusOK, invokeMessage(b.language("", act.Locale).T("error.duplicate"))
			}
			return http.StatusOK, nil
		}
	}
	return b.dispatch(ctx, act, log)
}

// health and readiness.

func (b *Bot) healthz(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

func (b *Bot) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	if err := b.store.Ping(ctx); err != nil {
		b.log.Warn("readiness: store unavailable", "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "store": err.Error()})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "store": "ok"})
}

// Handler returns the HTTP handler: the webhook, health and readiness.
func (b *Bot) Handler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.CustomRecoveryWithWriter(io.Discard, func(c *gin.Context, rec any) {
		b.log.Error("panic in request", "panic", rec, "path", c.Request.URL.Path)
		c.AbortWithStatus(http.StatusInternalServerError)
	}))
	r.POST("/api/messages", b.messages)
	r.HEAD("/api/messages", func(c *gin.Context) { c.Status(http.StatusOK) })
	r.GET("/healthz", b.healthz)
	r.GET("/readyz", b.readyz)
	for _, route := range b.extraRoutes {
		r.Handle(route.method, route.path, route.handler)
	}
	return r
}
