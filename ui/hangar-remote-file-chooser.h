/* hangar-remote-file-chooser.h: choose a file on the engine's host, through the engine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-dbus.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_REMOTE_FILE_CHOOSER (hangar_remote_file_chooser_get_type ())
G_DECLARE_FINAL_TYPE (HangarRemoteFileChooser, hangar_remote_file_chooser, HANGAR,
                      REMOTE_FILE_CHOOSER, AdwWindow)

HangarRemoteFileChooser *hangar_remote_file_chooser_new      (GtkWindow               *parent,
                                                              HangarDBusHost1         *host,
                                                              const char              *title,
                                                              const char * const      *suffixes);
void                     hangar_remote_file_chooser_open     (HangarRemoteFileChooser *self,
                                                              const char              *path);
const char              *hangar_remote_file_chooser_get_folder (HangarRemoteFileChooser *self);

G_END_DECLS
