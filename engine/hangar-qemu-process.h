/* hangar-qemu-process.h: is this pid still the QEMU the engine started?
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint64  hangar_qemu_process_start_time (GPid        pid);
gboolean hangar_qemu_process_matches    (GPid        pid,
                                         guint64     start_time,
                                         const char *qemu_binary,
                                         const char *runtime_dir,
                                         const char *uuid);
GPid     hangar_qemu_process_find       (const char *qemu_binary,
                                         const char *runtime_dir,
                                         const char *uuid);

G_END_DECLS
