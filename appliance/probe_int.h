/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * probe_int.h - `wardwatch probe`: poll one device once, as the collector would (same
 * engine, same profiles), and print what it is and what it measures; nothing is stored.
 * Private to appliance/.
 */
#ifndef WW_APPLIANCE_PROBE_INT_H
#define WW_APPLIANCE_PROBE_INT_H

#include "common/common.h"

/*
 * cli_probe() - `probe HOST [--port P] [--version 1|2c] [--community C] [--timeout-ms N]
 * [--json]`; the community from --community (visible to `ps`: labs and tests) or
 * $WW_COMMUNITY, else "public". The device profiles must be in use (coll_profiles_start()).
 * Prints, as text or one JSON object: profile, vendor, kind, why, model, serial, firmware,
 * os and the merged values (coll_measure(), null when unknown). Never prints the community.
 * Returns the exit status: 0 answered, 1 no answer, 2 bad arguments.
 */
int cli_probe(const struct ww_config *cfg, int argc, char **argv);

#endif
