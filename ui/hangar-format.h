/* hangar-format.h: how machines and connections read to a person
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pure functions, used from <closure> in the templates and tested without a display.
 * As closures they take the template's object first; pass NULL when calling them.
 * Each returns a new string (or string array) the caller frees.
 */
#pragma once

#include <glib.h>

#include "hangar-connection.h"

G_BEGIN_DECLS

char    *hangar_format_machine_title    (gpointer                unused,
                                         const char             *name,
                                         const char             *title);
char    *hangar_format_machine_subtitle (gpointer                unused,
                                         const char             *name,
                                         const char             *title);
gboolean hangar_format_has_text         (gpointer                unused,
                                         const char             *text);
char    *hangar_format_os_name          (gpointer                unused,
                                         const char             *os_name);
char    *hangar_format_machine_state    (gpointer                unused,
                                         const char             *state);
char   **hangar_format_state_classes    (gpointer                unused,
                                         const char             *state);
char    *hangar_format_memory           (gpointer                unused,
                                         guint64                 memory_kib);
char    *hangar_format_resources        (gpointer                unused,
                                         guint                   vcpus,
                                         guint64                 memory_kib);
char    *hangar_format_escape_markup    (gpointer                unused,
                                         const char             *text);
gboolean hangar_format_is_connecting    (gpointer                unused,
                                         HangarConnectionStatus  status);
char    *hangar_format_window_page      (gpointer                unused,
                                         HangarConnectionStatus  status,
                                         guint                   n_machines);
char    *hangar_format_state_reason      (gpointer                unused,
                                          const char             *state,
                                          const char             *reason,
                                          const char             *last_error);
char    *hangar_format_state_with_reason (gpointer                unused,
                                          const char             *state,
                                          const char             *reason,
                                          const char             *last_error);
char    *hangar_format_state_problem     (gpointer                unused,
                                          const char             *state,
                                          const char             *reason,
                                          const char             *last_error);
char    *hangar_format_cpu               (gpointer                unused,
                                          double                  percent);
char    *hangar_format_pending_changes   (gpointer                unused,
                                         const char * const     *changes);
char    *hangar_format_statistic         (gpointer                unused,
                                          double                  value,
                                          guint                   unit);
char    *hangar_format_network_unavailable (gpointer              unused,
                                            const char           *reason);
char    *hangar_format_lines             (gpointer                unused,
                                          const char * const     *lines);
char    *hangar_format_connection_subtitle (gpointer               unused,
                                            HangarConnectionStatus status);
char    *hangar_format_connection_title  (gpointer                unused,
                                          const char             *title);
char    *hangar_format_connection_status (gpointer                unused,
                                          HangarConnectionStatus  status);
char    *hangar_format_connection_icon   (gpointer                unused,
                                          const char             *title);

G_END_DECLS
