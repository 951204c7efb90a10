/* hangar-paths.h: where the engine keeps things
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   $XDG_CONFIG_HOME/hangar/machines/UUID.xml   definitions
 *   $XDG_CONFIG_HOME/hangar/autostart/UUID      present when the machine starts with the engine
 *   $XDG_RUNTIME_DIR/hangar/UUID/               a running machine's sockets, pid and logs
 *   $XDG_RUNTIME_DIR/hangar/engine.lock         held by the one engine of this user
 *   $XDG_RUNTIME_DIR/hangar/engine.sock         that engine's peer-to-peer D-Bus, same user only
 *   $XDG_DATA_HOME/hangar/images                the default storage pool
 *   $XDG_DATA_HOME/hangar/machines/UUID/        a machine's own files: its UEFI variable
 *                                               store (VARS.fd), an installer's kernel/initrd
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *hangar_paths_machines_dir  (void);
char     *hangar_paths_autostart_dir (void);
char     *hangar_paths_runtime_root  (void);
char     *hangar_paths_runtime_dir   (const char  *uuid);
char     *hangar_paths_engine_socket (void);
char     *hangar_paths_images_dir    (void);
char     *hangar_paths_machine_data_dir (const char *uuid);
char     *hangar_paths_nvram         (const char  *uuid);
gboolean  hangar_paths_copy_file     (const char  *source,
                                      const char  *destination,
                                      int          mode,
                                      GError     **error);
void      hangar_paths_remove_tree   (const char  *path);
gboolean  hangar_paths_ensure_dir    (const char  *path,
                                      int          mode,
                                      GError     **error);
gboolean  hangar_paths_write_atomic  (const char  *path,
                                      const char  *contents,
                                      gssize       length,
                                      GError     **error);

G_END_DECLS
