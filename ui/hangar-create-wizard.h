/* hangar-create-wizard.h: the create-VM wizard
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_CREATE_WIZARD (hangar_create_wizard_get_type ())
G_DECLARE_FINAL_TYPE (HangarCreateWizard, hangar_create_wizard, HANGAR, CREATE_WIZARD, AdwWindow)

HangarCreateWizard *hangar_create_wizard_new (GtkWindow        *parent,
                                              HangarConnection *connection);

G_END_DECLS
