// Package graph is Parc's directory in production: Microsoft Entra ID
// through Microsoft Graph, with msgraph-sdk-go and azidentity. It is the
// only package that imports the Graph SDK (a cold compile of it takes
// minutes): everything else uses the domain's interfaces, Directory
// (people for the loans and the cars) and LicenceDirectory (the monthly
// licence summary).
//
// # Requests
//
// The licence summary asks Graph for whole establishments, never user by
// user (the old Power Automate flow took 32 minutes for 540 accounts
// because it did):
//
//   - GET /subscribedSkus, once per run: SKU ids, part numbers, seats
//     bought and assigned;
//   - GET /groups/{id}/transitiveMembers/microsoft.graph.user with
//     $select=id,givenName,surname,displayName,mail,userPrincipalName,
//     jobTitle,accountEnabled,assignedLicenses and $top=999, following
//     @odata.nextLink: every member of the group and of its nested groups,
//     with their licences, 999 per page.
//
// The people directory: GET /users/{id} (Person), GET /users with
// $filter=startswith(...) on names and e-mail (SearchPeople), and GET
// /users/{id}/transitiveMemberOf/microsoft.graph.group (GroupsOf).
//
// # Application permissions to grant
//
// Register an application (or use the bot's managed identity) and grant
// it these Microsoft Graph application permissions, with an
// administrator's consent:
//
//   - User.Read.All: read users' names, e-mail, job title, account state
//     and assigned licences (Person, SearchPeople, the summary's columns);
//   - GroupMember.Read.All: list the members of the establishments' staff
//     groups and the groups of a person (transitiveMembers,
//     transitiveMemberOf);
//   - LicenseAssignment.Read.All (or Organization.Read.All): read the
//     tenant's subscriptions (subscribedSkus) for the part numbers and
//     the unassigned seats of the IT report.
//
// Nothing is written to the directory: no ReadWrite permission is needed.
//
// # Resilience
//
// Every request goes through a retrying transport: 429, 503 and 504 (and
// network errors) are retried up to MaxAttempts times, waiting what
// Retry-After says (Graph sends it with throttling) or an exponential
// backoff with jitter, and never past the caller's deadline. The summary
// gives each run a timeout and reads establishments with bounded
// concurrency (package bot).
//
// # Settings
//
// GRAPH_ENDPOINT (default https://graph.microsoft.com/v1.0; a national
// cloud's Graph host otherwise) and azidentity's own AZURE_AUTHORITY_HOST
// choose the cloud; the token's scope is the endpoint's host with
// "/.default". cmd/parc builds the credential (client secret,
// certificate or managed identity).
package graph
