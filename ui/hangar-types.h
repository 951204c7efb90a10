/* hangar-types.h: forward declarations and shared constants of the UI
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Headers take these instead of including each other.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where the UI's resources live: also the application's resource base path. */
#define HANGAR_RESOURCE_PATH "/io/github/hangarvm/Hangar"

typedef struct _HangarApplication HangarApplication;
typedef struct _HangarConnection  HangarConnection;
typedef struct _HangarConnectionDialog HangarConnectionDialog;
typedef struct _HangarConnectionRow HangarConnectionRow;
typedef struct _HangarGraph       HangarGraph;
typedef struct _HangarHostPage    HangarHostPage;
typedef struct _HangarMachineHistory HangarMachineHistory;
typedef struct _HangarMachineList HangarMachineList;
typedef struct _HangarMachinePage HangarMachinePage;
typedef struct _HangarMachineRow  HangarMachineRow;
typedef struct _HangarPerformanceView HangarPerformanceView;
typedef struct _HangarPreferencesWindow HangarPreferencesWindow;
typedef struct _HangarSparkline   HangarSparkline;
typedef struct _HangarSshTransport HangarSshTransport;
typedef struct _HangarStatsSeries HangarStatsSeries;
typedef struct _HangarWindow      HangarWindow;

G_END_DECLS
