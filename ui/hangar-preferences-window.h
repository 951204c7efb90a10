/* hangar-preferences-window.h: the application's preferences
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_PREFERENCES_WINDOW (hangar_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (HangarPreferencesWindow, hangar_preferences_window,
                      HANGAR, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *hangar_preferences_window_new (GtkWindow *parent);

G_END_DECLS
