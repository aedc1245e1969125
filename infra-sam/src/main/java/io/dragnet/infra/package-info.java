/** Checks that keep infra-sam/template.yaml consistent with the workflow definition and least privilege. */
package io.dragnet.infra;
