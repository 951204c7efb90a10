/* hangar-engine-application.h: hangar-engine as a D-Bus service
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HANGAR_TYPE_ENGINE_APPLICATION (hangar_engine_application_get_type ())
G_DECLARE_FINAL_TYPE (HangarEngineApplication, hangar_engine_application, HANGAR,
                      ENGINE_APPLICATION, GApplication)

HangarEngineApplication *hangar_engine_application_new (void);

G_END_DECLS
