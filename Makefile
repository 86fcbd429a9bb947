# The seed's commands over the sample services, through the same command line the docs describe
# (seeds/Samples.Host hosts `seeding` with the five sample registries). Store: the SQLite file .seeding/seeding.db,
# or DATABASE=<file>; ENVIRONMENT=<name> for 'environments:' steps; FIRESTORE_EMULATOR_HOST / FIRESTORE_PROJECT_ID in the environment pick Firestore instead.
#
#   make migrate SERVICE=user [PHASE=pre|post|bootstrap|all] [DRY_RUN=true]   one service
#   make dev-migrate [DRY_RUN=true]                                           every service, in depends_on order
#   make plan SERVICE=user | make status                                      the plan; applied/pending per service

SEEDING ?= dotnet run --project seeds/Samples.Host --
SERVICE ?=
PHASE ?=
DRY_RUN ?=
DATABASE ?=
ENVIRONMENT ?=

phase_arg := $(if $(PHASE),--phase $(PHASE))
dry_run_arg := $(if $(filter true TRUE True 1 yes,$(DRY_RUN)),--dry-run)
database_arg := $(if $(DATABASE),--database $(DATABASE))
environment_arg := $(if $(ENVIRONMENT),--environment $(ENVIRONMENT))

.PHONY: help migrate dev-migrate plan status

help:
	@sed -n '1,7p' $(firstword $(MAKEFILE_LIST))

migrate:
	@test -n "$(SERVICE)" || { echo "make migrate needs SERVICE=<name> (tenant, user, license, survey, audit); make dev-migrate runs them all." >&2; exit 2; }
	$(SEEDING) migrate --service $(SERVICE) $(phase_arg) $(dry_run_arg) $(environment_arg) $(database_arg)

dev-migrate:
	$(SEEDING) migrate --all $(phase_arg) $(dry_run_arg) $(environment_arg) $(database_arg)

plan:
	$(SEEDING) plan $(if $(SERVICE),--service $(SERVICE),--all) $(phase_arg) $(database_arg)

status:
	$(SEEDING) status --all $(database_arg)
