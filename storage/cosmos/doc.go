// Package cosmos is Parc's production store: Azure Cosmos DB for NoSQL,
// reached with azcosmos v1. It implements domain.Store and passes the same
// contract suite as the embedded store (storage/storagetest).
//
// # Settings
//
// cmd/parc switches to this store when COSMOS_ENDPOINT is set
// (https://ACCOUNT.documents.azure.com:443/). COSMOS_DATABASE names the
// database (default "parc"). COSMOS_KEY is the account key; without it the
// store authenticates with Entra ID through azidentity's
// DefaultAzureCredential (the managed identity in Azure, AZURE_CLIENT_ID
// choosing a user-assigned one), which needs the data-plane role "Cosmos
// DB Built-in Data Contributor". Open creates the database and the
// containers that are missing, idempotently; with Entra ID the service
// forbids that (data-plane RBAC covers items only), so create them once
// with the CLI or Bicep, or start once with the key.
//
// # Data model
//
// Every document is an envelope {id, pk, kind, data, ttl?}. data is the
// domain type's JSON, untouched: Export hands it out as is, with none of
// the service's system fields (_rid, _self, _etag, _ts live at the top
// level), and a domain field can never clash with id or pk. Every
// container is partitioned on /pk, so that the helpers never need to know
// which field a kind partitions on; pk holds the natural key of the
// aggregate (a user's object id, a conversation id, later an
// establishment), and id names the document inside its partition. Values
// that come from outside (Teams ids may hold "/" or "?", which a document
// id may not) go in pk or data, never in id: ids are built from
// validated values only.
//
// Containers, their partition key and why:
//
//   - users, pk = the user's Entra object id. The document "profile"
//     (kind user) and one document "role:<role>" (kind role) per role
//     held. A turn needs the user and their roles: one point read and one
//     single-partition query. Anything that must change a user and their
//     roles together can do it in one transactional batch.
//   - conversations, pk = the conversation id. One document "ref" (kind
//     conversation) per partition: the notifier reads it by id.
//   - activities, pk = the activity id, default TTL one day. One document
//     "seen" per partition; point operations only, nothing indexed.
//
// Each container indexes /kind/? only (activities nothing): writes cost
// fewer request units. A query that filters on another path must add it to
// the container's spec (schema.go); the service refuses a filter on an
// excluded path. An existing container keeps the policy it was created
// with: change it in the portal or with the CLI.
//
// Queries, and why the gateway serves each (azcosmos v1 has no client-side
// query engine: across partitions the gateway refuses ORDER BY, TOP,
// OFFSET/LIMIT, DISTINCT, GROUP BY and aggregates, so the store sorts and
// limits in Go):
//
//   - UserRoles: SELECT VALUE c.data.role FROM c WHERE c.kind = 'role' in
//     the user's partition. Single-partition: could even sort.
//   - ListUsers, ListRoleAssignments, Export: SELECT ... FROM c WHERE
//     c.kind = @kind across partitions, a plain filter, sorted in Go. They
//     serve an admin's card and the command line, not every turn.
//   - Everything else is a point read or write on (pk, id).
//
// # Consistency
//
// Every read-modify-write is guarded by the document's ETag (If-Match) and
// retried from the read on 412, up to maxAttempts with jittered backoff
// (update). Creation is the atomic "insert if absent" (409 otherwise):
// GrantRole keeps the first grant that way, and FirstDelivery creates the
// activity's entry, or replaces an expired one guarded by its ETag, so that
// of concurrent deliveries exactly one is first. An entry older than the
// caller's window counts as new even if the TTL has not removed it (the
// emulator has no TTL). Several documents of one partition change together
// in a transactional batch (batch), all or nothing; transact runs a
// function that reads documents and stages writes, commits them in one
// batch guarded by what was read, and runs the function again when another
// writer got in first: serializable within a partition.
//
// Errors: 404 is domain.ENOTFOUND, 409 and 412 domain.ECONFLICT, 429 (once
// the SDK's retries are spent), 503, timeouts and network failures
// domain.EUNAVAILABLE; anything else is a plain error for the logs. Every
// request's charge (x-ms-request-charge) is logged at debug level; 429s
// are counted (Store.Stats) and logged as warnings.
//
// # The features' data, built and planned
//
// Pool cars (built, storage/cosmos/fleet.go): a container fleet, pk = the
// establishment code, indexing /kind, /data/plate, /data/start and
// /data/date. Documents "car:<plate>" (kind car), "reservation:<id>" (kind
// reservation), "maintenance:<id>" (kind maintenance) and one
// "schedule:<plate>" per car (kind car_schedule) listing the car's live
// reservations as [start, end) intervals: the coming ones, and those that
// ended without a hand-back. Reserving is one transact in the
// establishment's partition: read the car and the schedule, refuse an
// overlap (ECONFLICT), create the reservation and replace the schedule in
// one batch guarded by the schedule's ETag; two overlapping reservations
// can never both commit, because both replace the same schedule version.
// Cancelling, shortening and the hand-back replace the reservation, the
// schedule (and the car, for the odometer and a damage) the same way; the
// schedule drops the intervals that ended and were handed back, keeping
// the latest as "last", so it stays small. A user's everyday actions stay
// in one partition: availability, the car list and "my reservations" are
// one single-partition query on kind (the cars and schedules of the
// establishment), never the history; the reports filter the partition on
// data.start and data.date; only FindCar (a plate typed by an admin) is a
// cross-partition filter on data.plate. Moving a car to another
// establishment changes its partition, which no batch spans: MoveCar
// creates the car and an empty schedule in the target in one batch, the
// schedule held (Reserve refuses a held car); deletes the original car and
// schedule in one batch guarded by the ETags read first, with a tombstone
// "moved:<plate>" naming the move (a reservation that came in meanwhile
// fails that batch, and the copy is dropped); then releases the hold. A
// move interrupted between steps is settled from what is stored by the
// next booking attempt on the copy (fleet_move.go says how and why).
//
// IT terminals and loans: a container it, pk = the establishment code.
// Documents "terminal:<asset tag>" (with status and the open loan's id),
// "loan:<uuid>" and "openloan:<asset tag>". Opening a loan is one batch:
// create the loan, create "openloan:<asset tag>" (409 if the terminal is
// already lent: a terminal can never be in two open loans, whatever the
// terminal document says) and replace the terminal with status lent,
// guarded by its ETag. Returning it replaces the loan, deletes the open
// loan marker and replaces the terminal in one batch. Moving a terminal to
// another establishment changes its partition: an admin step done in two
// guarded writes with a "moving" status between them.
//
// Licence runs and the scheduler lease: a container licences, pk = the
// establishment code, one document per run ("run:<date>") and a "latest"
// pointer replaced in the same batch as the run is created. A container
// leases, pk = the lease name, holds one "lease" document {holder,
// expiresAt}: taking it is the FirstDelivery pattern (create; if present
// and expired, replace guarded by its ETag), renewing is a guarded
// replace, so that exactly one instance runs the nightly job.
//
// # Adding a repository
//
//  1. Pick the container and the partition key from the question the
//     everyday action asks: what must change together shares a partition
//     (a batch cannot span two), what is read together should too. Add
//     the container to specs() in schema.go with the paths its queries
//     filter on, and a field to Store set in ensureSchema.
//  2. Write the repository with the typed helpers of docs.go and batch.go:
//     readDoc, createDoc, replaceDoc (If-Match), upsertDoc, deleteDoc,
//     queryPartition, queryAll, update (read-modify-write with retry),
//     batch and transact. Give each document kind a constant and build
//     ids from validated values.
//  3. Add the exported kinds to portKinds in port.go (and the same kinds
//     in storage/bolt) so that export and import carry them.
//  4. Add the repository's contract tests to storage/storagetest: both
//     backends must pass them against the emulator (go test ./storage/...).
package cosmos
