/* hangar-create-wizard-private.h: what the wizard's sibling files share
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * hangar-create-wizard.c       the window, its pages' order, Back/Forward, files
 * hangar-create-wizard-steps.c what leaving each page asks of the engine
 * hangar-create-wizard-finish.c making the image, the machine, and starting it
 */
#pragma once

#include "hangar-dbus.h"

#include "hangar-create-checks.h"
#include "hangar-create-wizard.h"

G_BEGIN_DECLS

typedef enum
{
  HANGAR_SOURCE_MEDIA,
  HANGAR_SOURCE_URL,
  HANGAR_SOURCE_PXE,
  HANGAR_SOURCE_IMPORT,
  HANGAR_SOURCE_KERNEL,
} HangarSourceKind;

typedef enum
{
  HANGAR_DISK_NEW,
  HANGAR_DISK_EXISTING,
  HANGAR_DISK_NONE,
} HangarDiskKind;

struct _HangarCreateWizard
{
  AdwWindow             parent_instance;

  HangarConnection     *connection;
  HangarDBusHost1      *host;
  GtkWindow            *parent;          /* kept alive while the wizard is: see finalize */
  GCancellable         *cancellable;     /* cancelled in dispose */
  GCancellable         *step_cancellable; /* the page's pending call, cancelled on Back */
  gboolean              busy;            /* a call to the engine is pending */

  /* What the pages found out */
  char                 *os_id;           /* libosinfo id or "generic" */
  char                 *os_name;
  char                 *detected_os_id;  /* from the media, NULL when not looked at */
  GVariant             *defaults;        /* GetOsDefaults of os_id, a{sv} */
  char                 *defaults_os_id;  /* which OS those defaults are for */
  char                 *kernel_url;      /* IdentifyTree's, for the summary */
  guint                 name_check_serial;
  gboolean              name_ok;
  gboolean              name_edited;     /* the person typed a name: keep it */

  /* Finishing */
  HangarDBusJob1       *job;
  char                 *image_path;      /* made by the job; NULL before */

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkWidget            *cancel_button;
  GtkWidget            *back_button;
  GtkButton            *forward_button;
  GtkSpinner           *busy_spinner;
  GtkStack             *pages;

  GtkCheckButton       *source_media_check;
  GtkCheckButton       *source_url_check;
  GtkCheckButton       *source_pxe_check;
  GtkCheckButton       *source_import_check;
  GtkCheckButton       *source_kernel_check;
  GtkWidget            *media_group;
  GtkWidget            *url_group;
  GtkWidget            *import_group;
  GtkWidget            *kernel_group;
  GtkEditable          *media_entry;
  GtkEditable          *url_entry;
  GtkEditable          *url_args_entry;
  GtkEditable          *import_entry;
  GtkSwitch            *convert_switch;
  GtkEditable          *kernel_entry;
  GtkEditable          *initrd_entry;
  GtkEditable          *cmdline_entry;
  GtkLabel             *source_error;

  AdwActionRow         *os_row;
  GtkSearchEntry       *os_search;
  GtkListBox           *os_list;

  AdwPreferencesGroup  *resources_group;
  GtkSpinButton        *memory_spin;
  GtkSpinButton        *vcpus_spin;
  GtkLabel             *resources_note;

  GtkCheckButton       *disk_new_check;
  GtkCheckButton       *disk_existing_check;
  GtkCheckButton       *disk_none_check;
  GtkWidget            *disk_new_group;
  GtkWidget            *disk_existing_group;
  GtkSpinButton        *disk_size_spin;
  AdwComboRow          *preallocation_row;
  GtkEditable          *disk_existing_entry;
  GtkLabel             *storage_note;

  GtkEditable          *name_entry;
  GtkLabel             *name_error;
  AdwActionRow         *summary_os_row;
  AdwActionRow         *summary_source_row;
  AdwActionRow         *summary_resources_row;
  AdwActionRow         *summary_disk_row;
  AdwComboRow          *firmware_row;
  AdwComboRow          *network_row;
  GtkSwitch            *customize_switch;

  AdwStatusPage        *progress_page;
  GtkProgressBar       *progress_bar;
  GtkWidget            *progress_cancel_button;
};

/* hangar-create-wizard.c */
HangarSourceKind _hangar_create_wizard_get_source   (HangarCreateWizard *self);
HangarDiskKind   _hangar_create_wizard_get_disk     (HangarCreateWizard *self);
void             _hangar_create_wizard_set_busy     (HangarCreateWizard *self,
                                                     gboolean            busy);
void             _hangar_create_wizard_show_page    (HangarCreateWizard *self,
                                                     const char         *page);
void             _hangar_create_wizard_update       (HangarCreateWizard *self);
const char      *_hangar_create_wizard_text         (GtkEditable        *editable);
char            *_hangar_create_wizard_remote_message (const GError     *error);
void             _hangar_create_wizard_say          (GtkLabel           *label,
                                                     HangarCheckLevel    level,
                                                     const char         *message);
const char      *_hangar_create_wizard_firmware     (HangarCreateWizard *self);

/* hangar-create-wizard-steps.c */
void             _hangar_create_wizard_leave_source    (HangarCreateWizard *self);
void             _hangar_create_wizard_leave_os        (HangarCreateWizard *self);
void             _hangar_create_wizard_search_os       (HangarCreateWizard *self);
void             _hangar_create_wizard_select_os       (HangarCreateWizard *self,
                                                        const char         *os_id,
                                                        const char         *os_name);
void             _hangar_create_wizard_check_resources (HangarCreateWizard *self);
void             _hangar_create_wizard_check_storage   (HangarCreateWizard *self);
void             _hangar_create_wizard_check_name      (HangarCreateWizard *self);
void             _hangar_create_wizard_fill_summary    (HangarCreateWizard *self);
gboolean         _hangar_create_wizard_page_complete   (HangarCreateWizard *self,
                                                        const char         *page);

/* hangar-create-wizard-finish.c */
void             _hangar_create_wizard_finish          (HangarCreateWizard *self);
void             _hangar_create_wizard_cancel_job      (HangarCreateWizard *self);

G_END_DECLS
