/* hangar-details-private.h: what the details pane's files share
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * hangar-details-view.c      the sidebar, the document, GetXml, Apply, Remove
 * hangar-details-page.c      one editor's frame: rows, Apply/Revert/Remove, notes
 * hangar-details-overview.c  Overview
 * hangar-details-resources.c CPUs and Memory
 * hangar-details-boot.c      Boot Options
 * hangar-details-disk.c      a disk or CD-ROM drive
 * hangar-details-nic.c       a network card
 * hangar-details-devices.c   display, video, sound, input, serial, channels, USB, RNG,
 *                            watchdog
 * hangar-details-xml.c       the whole definition as text
 * hangar-add-hardware.c      the Add Hardware dialog
 *
 * A page edits its widgets only. Apply copies the view's document, lets the page's
 * editor write its widgets into its part of the copy (store), and sends the whole
 * copy to the engine; the view then reloads the definition and every page without
 * unsaved edits shows it again (load).
 */
#pragma once

#include <adwaita.h>

#include "hangar-dbus.h"

#include "hangar-details-view.h"
#include "hangar-domain-xml.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_DETAILS_PAGE (hangar_details_page_get_type ())
G_DECLARE_FINAL_TYPE (HangarDetailsPage, hangar_details_page, HANGAR, DETAILS_PAGE, GtkWidget)

typedef struct
{
  /* Makes the page's rows; called once. */
  void       (*build)       (HangarDetailsPage *page);
  /* Shows @node (the page's element in @doc, see hangar_domain_xml_find()). */
  void       (*load)        (HangarDetailsPage *page,
                             xmlDoc            *doc,
                             xmlNode           *node);
  /* Writes the rows into @node of @doc, a copy of the view's document. */
  gboolean   (*store)       (HangarDetailsPage *page,
                             xmlDoc            *doc,
                             xmlNode           *node,
                             GError           **error);
  /* Optional: the whole definition to send, instead of store (the XML page). */
  char      *(*serialize)   (HangarDetailsPage *page);
  /* Optional: the engine took what the page sent. */
  void       (*applied)     (HangarDetailsPage *page);
  /* Optional: the engine refused it, saying @message. */
  void       (*failed)      (HangarDetailsPage *page,
                             const char        *message);
  /* Optional: the machine's properties changed (state, pending changes). */
  void       (*sync)        (HangarDetailsPage *page);
  gboolean   removable;
  /* Nothing on the page can be edited: no Apply, no Revert. */
  gboolean   read_only;
} HangarDetailsEditor;

extern const HangarDetailsEditor hangar_details_overview_editor;
extern const HangarDetailsEditor hangar_details_cpus_editor;
extern const HangarDetailsEditor hangar_details_memory_editor;
extern const HangarDetailsEditor hangar_details_boot_editor;
extern const HangarDetailsEditor hangar_details_disk_editor;
extern const HangarDetailsEditor hangar_details_nic_editor;
extern const HangarDetailsEditor hangar_details_display_editor;
extern const HangarDetailsEditor hangar_details_video_editor;
extern const HangarDetailsEditor hangar_details_sound_editor;
extern const HangarDetailsEditor hangar_details_input_editor;
extern const HangarDetailsEditor hangar_details_serial_editor;
extern const HangarDetailsEditor hangar_details_channels_editor;
extern const HangarDetailsEditor hangar_details_usb_editor;
extern const HangarDetailsEditor hangar_details_rng_editor;
extern const HangarDetailsEditor hangar_details_watchdog_editor;
extern const HangarDetailsEditor hangar_details_xml_editor;

/* ---- the page (hangar-details-page.c) ---- */

HangarDetailsPage        *hangar_details_page_new        (HangarDetailsView         *view,
                                                          const HangarDetailsEditor *editor,
                                                          const char                *key);
const char               *hangar_details_page_get_key    (HangarDetailsPage *self);
const HangarDetailsEditor *hangar_details_page_get_editor (HangarDetailsPage *self);
HangarDetailsView        *hangar_details_page_get_view   (HangarDetailsPage *self);
HangarDBusMachine1       *hangar_details_page_get_machine (HangarDetailsPage *self);
HangarDBusHost1          *hangar_details_page_get_host   (HangarDetailsPage *self);
gpointer                  hangar_details_page_get_data   (HangarDetailsPage *self);
void                      hangar_details_page_set_data   (HangarDetailsPage *self,
                                                          gpointer           data,
                                                          GDestroyNotify     destroy);
void                      hangar_details_page_load       (HangarDetailsPage *self,
                                                          xmlDoc            *doc,
                                                          gboolean           force);
void                      hangar_details_page_sync       (HangarDetailsPage *self);
void                      hangar_details_page_changed    (HangarDetailsPage *self);
gboolean                  hangar_details_page_is_dirty   (HangarDetailsPage *self);
gboolean                  hangar_details_page_is_loading (HangarDetailsPage *self);
void                      hangar_details_page_set_busy   (HangarDetailsPage *self,
                                                          gboolean           busy);
void                      hangar_details_page_set_error  (HangarDetailsPage *self,
                                                          const char        *message);
void                      hangar_details_page_set_invalid (HangarDetailsPage *self,
                                                          const char        *message);
void                      hangar_details_page_set_note   (HangarDetailsPage *self,
                                                          const char        *note);
void                      hangar_details_page_set_content (HangarDetailsPage *self,
                                                          GtkWidget         *content);
void                      hangar_details_page_applied    (HangarDetailsPage *self,
                                                          const char * const *pending);

/* Rows, each reporting its edits to the page. */
AdwPreferencesGroup *hangar_details_page_add_group  (HangarDetailsPage *self,
                                                     const char        *title,
                                                     const char        *description);
AdwEntryRow         *hangar_details_page_add_entry  (HangarDetailsPage   *self,
                                                     AdwPreferencesGroup *group,
                                                     const char          *title);
AdwComboRow         *hangar_details_page_add_combo  (HangarDetailsPage   *self,
                                                     AdwPreferencesGroup *group,
                                                     const char          *title,
                                                     const char * const  *labels);
GtkSpinButton       *hangar_details_page_add_spin   (HangarDetailsPage   *self,
                                                     AdwPreferencesGroup *group,
                                                     const char          *title,
                                                     const char          *subtitle,
                                                     double               lower,
                                                     double               upper);
GtkSwitch           *hangar_details_page_add_switch (HangarDetailsPage   *self,
                                                     AdwPreferencesGroup *group,
                                                     const char          *title,
                                                     const char          *subtitle);
AdwActionRow        *hangar_details_page_add_info   (HangarDetailsPage   *self,
                                                     AdwPreferencesGroup *group,
                                                     const char          *title);
void                 hangar_details_set_info        (AdwActionRow        *row,
                                                     const char          *text);
guint                hangar_details_combo_index     (const char * const  *values,
                                                     const char          *value);
char                *hangar_details_entry_text      (AdwEntryRow         *row);

/* ---- the view (hangar-details-view.c) ---- */

HangarDBusHost1 *_hangar_details_view_get_host        (HangarDetailsView *self);
xmlDoc          *_hangar_details_view_get_doc         (HangarDetailsView *self);
void             _hangar_details_view_apply           (HangarDetailsView *self,
                                                       HangarDetailsPage *page);
void             _hangar_details_view_confirm_remove  (HangarDetailsView *self,
                                                       HangarDetailsPage *page,
                                                       xmlNode           *device);
void             _hangar_details_view_toast           (HangarDetailsView *self,
                                                       const char        *text);

typedef void (*HangarDetailsDone) (gpointer      user_data,
                                   const GError *error);
void             _hangar_details_view_add_device      (HangarDetailsView *self,
                                                       const char        *fragment,
                                                       HangarDetailsDone  done,
                                                       gpointer           user_data);

/* ---- Add Hardware (hangar-add-hardware.c) ---- */

GtkWidget       *hangar_add_hardware_new              (HangarDetailsView *view);

G_END_DECLS
