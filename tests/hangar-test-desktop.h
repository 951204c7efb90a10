/* hangar-test-desktop.h: what UI tests need of the desktop under Xvfb
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GSubprocess *hangar_test_start_window_manager (void);

G_END_DECLS
