/* hangar-keymap.h: key codes for consoles, without a toolkit
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A key travels to a guest as the key's place on the keyboard (a scancode), not as
 * the symbol it prints here, so that the guest's own layout decides what it means.
 * Places are given as Linux input codes (<linux/input-event-codes.h>: KEY_A is 30);
 * QEMU's key numbers are PC/XT set 1 scancodes, 0x80 added for keys sent after an
 * 0xe0 prefix (Right Ctrl is 0x9d).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint hangar_keymap_evdev_to_qnum   (guint evdev_code);
guint hangar_keymap_keyval_to_evdev (guint keyval);

G_END_DECLS
