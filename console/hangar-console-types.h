/* hangar-console-types.h: forward declarations of the console library
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Headers take these instead of including each other.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HangarDisplay       HangarDisplay;
typedef struct _HangarVncConnection HangarVncConnection;
typedef struct _HangarVncDisplay    HangarVncDisplay;
typedef struct _HangarSpiceConnection HangarSpiceConnection;
typedef struct _HangarSpiceDisplay  HangarSpiceDisplay;

G_END_DECLS
