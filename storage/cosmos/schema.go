package cosmos

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/Azure/azure-sdk-for-go/sdk/data/azcosmos"
)

// pkPath is the partition key path of every container: each document
// carries its partition key in "pk", whatever the container, so that the
// generic helpers never need to know which field a kind partitions on.
const pkPath = "/pk"

// Container names.
const (
	containerUsers          = "users"
	containerConversations  = "conversations"
	containerActivities     = "activities"
	containerEstablishments = "establishments"
	containerLeases         = "leases"
)

// activityTTL is the activities container's default time to live (seconds).
// The store never relies on it: an id older than the caller's window counts
// as absent even when it is still there (the emulator has no TTL).
const activityTTL = 24 * 60 * 60

// containerSpec is how a container must be created.
type containerSpec struct {
	name string
	// indexed are the paths queries filter on. Everything else is left out
	// of the index: writes cost fewer request units, and a query that
	// filters on a new path must add it here (the service refuses a filter
	// on an excluded path).
	indexed    []string
	defaultTTL int32 // seconds; 0 = no TTL
}

// specs lists the containers, in creation order.
func specs() []containerSpec {
	return slices.Concat([]containerSpec{
		{name: containerUsers, indexed: []string{"/kind/?"}},
		{name: containerConversations},
		{name: containerActivities, defaultTTL: activityTTL},
		{name: containerEstablishments, indexed: []string{"/kind/?"}},
		{name: containerLeases},
	}, fleetSpecs(), equipmentSpecs(), licenceSpecs())
}

func (c containerSpec) properties() azcosmos.ContainerProperties {
	p := azcosmos.ContainerProperties{
		ID:                     c.name,
		PartitionKeyDefinition: azcosmos.PartitionKeyDefinition{Kind: azcosmos.PartitionKeyKindHash, Paths: []string{pkPath}, Version: 2},
		IndexingPolicy:         c.indexingPolicy(),
	}
	if c.defaultTTL > 0 {
		ttl := c.defaultTTL
		p.DefaultTimeToLive = &ttl
	}
	return p
}

func (c containerSpec) indexingPolicy() *azcosmos.IndexingPolicy {
	ip := &azcosmos.IndexingPolicy{Automatic: true, IndexingMode: azcosmos.IndexingModeConsistent,
		ExcludedPaths: []azcosmos.ExcludedPath{{Path: "/*"}}}
	for _, p := range c.indexed {
		ip.IncludedPaths = append(ip.IncludedPaths, azcosmos.IncludedPath{Path: p})
	}
	return ip
}

// ensureSchema creates the database and the containers that are missing.
// Creating one that another instance created meanwhile (409) is success.
// With an Entra ID token the service forbids creating databases and
// containers (data-plane RBAC covers items only): the error then says what
// to create by hand.
func (s *Store) ensureSchema(ctx context.Context, cfg Config) error {
	if _, err := s.db.Read(ctx, nil); err != nil {
		if statusOf(err) != http.StatusNotFound {
			return err
		}
		_, err := s.client.CreateDatabase(ctx, azcosmos.DatabaseProperties{ID: cfg.Database}, nil)
		if err != nil && statusOf(err) != http.StatusConflict {
			return fmt.Errorf("create database %q: %w", cfg.Database, err)
		}
		s.log.Info("cosmos database created", "database", cfg.Database)
	}
	made := map[string]*container{}
	for _, spec := range specs() {
		c, err := s.ensureContainer(ctx, spec, cfg)
		if err != nil {
			return err
		}
		made[spec.name] = c
	}
	s.users, s.conversations, s.activities = made[containerUsers], made[containerConversations], made[containerActivities]
	s.establishments, s.leases = made[containerEstablishments], made[containerLeases]
	s.containers = made
	return nil
}

func (s *Store) ensureContainer(ctx context.Context, spec containerSpec, cfg Config) (*container, error) {
	cc, err := s.db.NewContainer(spec.name)
	if err != nil {
		return nil, err
	}
	c := &container{name: spec.name, client: cc, pageSize: cfg.PageSize}
	resp, err := cc.Read(ctx, nil)
	switch {
	case err == nil:
		got := resp.ContainerProperties.PartitionKeyDefinition.Paths
		if !slices.Equal(got, []string{pkPath}) {
			return nil, fmt.Errorf("container %q is partitioned on %v, Parc needs %s: move its data (parc export/import) to a new database", spec.name, got, pkPath)
		}
		return c, nil
	case statusOf(err) != http.StatusNotFound:
		return nil, fmt.Errorf("read container %q: %w", spec.name, err)
	}
	if _, err := s.db.CreateContainer(ctx, spec.properties(), nil); err != nil && statusOf(err) != http.StatusConflict {
		if statusOf(err) == http.StatusForbidden && cfg.Key == "" {
			return nil, fmt.Errorf("container %q is missing and an Entra ID identity may not create it: create it (partition key %s) with the Azure CLI or Bicep, or start once with COSMOS_KEY: %w", spec.name, pkPath, err)
		}
		return nil, fmt.Errorf("create container %q: %w", spec.name, err)
	}
	s.log.Info("cosmos container created", "container", spec.name, "partition_key", pkPath, "default_ttl", spec.defaultTTL)
	return c, nil
}
