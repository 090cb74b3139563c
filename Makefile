# The requirements document's repo-local helper: a context packet from env vars, checked against the
# catalogue and governance.yaml, written to .packgate/packets/<TASK_ID>.yaml and recorded on its task.
#
#   TASK_ID=C-DEPLOYED-AUTH-LOGIN-RELEASE-GATE-001 OWNER_LANE=C-ops \
#   GOAL="Add deployed auth/login release gate for demo" \
#   ACCEPTANCE="OIDC callback smoke blocks failure;browser login plan recorded" \
#   WORKFLOW_REGRESSION_PACK=auth-session make agent-context-packet
#
# Every field can be given the same way (ENVIRONMENT, OWNED_FILES, ...): `npx packgate packet new --help`.

.PHONY: agent-context-packet
agent-context-packet:
	@node bin/packgate.js packet new
