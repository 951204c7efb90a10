/* hangar-details-view-private.h: what the details view's files share
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * hangar-details-view.c reads and sends the definition and keeps the sidebar;
 * hangar-details-view-devices.c adds and removes devices through the same calls.
 */
#pragma once

#include <adwaita.h>
#include <libxml/tree.h>

#include "hangar-connection.h"
#include "hangar-details-view.h"

G_BEGIN_DECLS

struct _HangarDetailsView
{
  GtkWidget           parent_instance;

  HangarDBusMachine1 *machine;
  HangarConnection   *connection;
  GCancellable       *cancellable;      /* the machine's calls; cancelled on a new machine */
  xmlDoc             *doc;              /* the definition as last read; NULL before */
  char               *xml;              /* GetXml's text of it; NULL after an Apply */
  GHashTable         *pages;            /* key → HangarDetailsPage, owned by the stack */
  GPtrArray          *keys;             /* the sidebar's keys, in order */
  char               *select_after_load; /* a new device's key */
  gboolean            loading;          /* a GetXml call is pending */
  gboolean            reload;           /* read again when it returns */

  /* Template widgets */
  GtkStack           *state_stack;
  AdwStatusPage      *error_page;
  GtkListBox         *sidebar;
  GtkStack           *stack;
  GtkWidget          *add_button;
};

/* What an UpdateConfig call came back with. */
typedef void (*HangarDetailsSent) (HangarDetailsView  *self,
                                   gpointer            user_data,
                                   const char * const *applied_live,
                                   const char * const *pending,
                                   const GError       *error);

void _hangar_details_view_load             (HangarDetailsView  *self);
void _hangar_details_view_send             (HangarDetailsView  *self,
                                            const char         *xml,
                                            HangarDetailsSent   callback,
                                            gpointer            user_data);
char *_hangar_details_view_remote_message (const GError   *error);
void _hangar_details_view_say_applied_live (HangarDetailsView  *self,
                                            const char * const *applied_live);

G_END_DECLS
