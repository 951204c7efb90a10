/* hangar-application.h: the hangar application
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_APPLICATION (hangar_application_get_type ())
G_DECLARE_FINAL_TYPE (HangarApplication, hangar_application, HANGAR, APPLICATION, AdwApplication)

HangarApplication *hangar_application_new            (void);
HangarConnection  *hangar_application_get_connection (HangarApplication *self);
GListModel        *hangar_application_get_remotes    (HangarApplication *self);
HangarConnection  *hangar_application_add_remote     (HangarApplication  *self,
                                                      const char         *destination,
                                                      guint               port,
                                                      const char         *identity_file,
                                                      gboolean            connect_at_start,
                                                      GError            **error);
void               hangar_application_remove_remote  (HangarApplication *self,
                                                      HangarConnection  *connection);

G_END_DECLS
