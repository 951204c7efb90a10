/* hangar-store.h: definitions on disk
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "hangar-domain.h"

G_BEGIN_DECLS

typedef struct
{
  char *path;
  char *message;
} HangarBrokenDefinition;

gboolean  hangar_store_load_all       (GPtrArray     *domains,
                                       GPtrArray     *broken,
                                       GError       **error);
gboolean  hangar_store_save           (HangarDomain  *domain,
                                       GError       **error);
gboolean  hangar_store_delete         (const char    *uuid,
                                       GError       **error);
gboolean  hangar_store_get_autostart  (const char    *uuid);
gboolean  hangar_store_set_autostart  (const char    *uuid,
                                       gboolean       autostart,
                                       GError       **error);
void      hangar_broken_definition_free (gpointer     data);

void      hangar_store_remove_stale   (void);

G_END_DECLS
