// Package manifest builds Parc's Teams app package: manifest.json and the
// two icons, zipped, ready for an admin to upload in Teams (Apps > Manage
// your apps > Upload an app) or in the Teams admin centre.
//
// Build checks what Teams checks on upload and its JSON schema does not;
// e2e/tools/validate-manifest.js checks the manifest against the official
// schema bundled in npm @microsoft/app-manifest, offline. The icons are
// drawn here, in code, so the package is the same byte for byte for the
// same options.
package manifest
